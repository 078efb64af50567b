package verifier

import (
	"strconv"

	"github.com/tokengate/tokengate/internal/strictjson"
)

// Actor is one party of an RFC 8693 delegation: the act claim, or may_act.
// Members other than sub, iss and client_id are checked (strict JSON) and
// not kept; Claims.Lookup returns the whole claim as sent.
type Actor struct {
	Subject  string // sub
	Issuer   string // iss
	ClientID string // client_id
	// Actor is the nested act: the party that acted before this one, nil
	// at the end of the chain (and always in may_act).
	Actor *Actor
}

// Depth returns the number of actors in the chain that starts at a: 0 for
// nil, 1 for an actor without a nested act.
func (a *Actor) Depth() int {
	n := 0
	for ; a != nil; a = a.Actor {
		n++
	}
	return n
}

// parseActor reads an act (maxDepth > 0: a chain of at most maxDepth actors)
// or a may_act (maxDepth 0: a nested act is skipped). The object and the sub, iss and
// client_id members must have their JSON types, as registered claims.
func parseActor(s *strictjson.Scanner, claim string, maxDepth int) (*Actor, error) {
	return parseActorAt(s, claim, 1, maxDepth)
}

// parseActorAt reads the actor at depth (1 for the act claim itself).
func parseActorAt(s *strictjson.Scanner, claim string, depth, maxDepth int) (*Actor, error) {
	if s.Peek() != strictjson.Object {
		return nil, typeError(claim, "an object")
	}
	if err := s.BeginObject(); err != nil {
		return nil, malformedJSON("claims", err)
	}
	a := &Actor{}
	var m strictjson.Members
	for {
		name, ok, err := s.NextMember(&m)
		if err != nil {
			return nil, malformedJSON("claims", err)
		}
		if !ok {
			return a, nil
		}
		var dst *string
		switch string(name) {
		case "sub":
			dst = &a.Subject
		case "iss":
			dst = &a.Issuer
		case "client_id":
			dst = &a.ClientID
		case "act":
			if maxDepth > 0 {
				if depth == maxDepth {
					return nil, newError(ErrMalformed, claim, "the act chain is longer than "+strconv.Itoa(maxDepth)+" actors")
				}
				if a.Actor, err = parseActorAt(s, claim, depth+1, maxDepth); err != nil {
					return nil, err
				}
				continue
			}
		}
		if dst == nil {
			if err := s.Skip(); err != nil {
				return nil, malformedJSON("claims", err)
			}
			continue
		}
		if *dst, err = stringClaim(s, claim); err != nil {
			return nil, err
		}
	}
}
