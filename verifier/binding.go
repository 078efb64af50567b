package verifier

import (
	"github.com/tokengate/tokengate/internal/strictjson"
)

// Binding is a set of sender-constraint methods (proof of possession) that
// the caller of Verify checks itself. A token carrying the cnf claim (RFC
// 7800) is bound to a key: presented without proof of that key, it must not
// pass as a bearer token (RFC 9449 section 7.2, RFC 8705 section 3). Verify
// therefore refuses every token with cnf unless the call names, with
// WithBindings, each confirmation method the token carries.
type Binding uint8

const (
	// BindingDPoP: the caller checks a DPoP proof (RFC 9449) against
	// Claims.Confirmation.JKT, the cnf "jkt" member.
	BindingDPoP Binding = 1 << iota
	// BindingMTLS: the caller checks the TLS client certificate (RFC 8705)
	// against Claims.Confirmation.X5TS256, the cnf "x5t#S256" member.
	BindingMTLS

	// cnfOther marks a cnf this package cannot check: an empty object, a
	// member other than jkt and x5t#S256, or an empty value. No option
	// covers it.
	cnfOther Binding = 1 << 7

	knownBindings = BindingDPoP | BindingMTLS
)

// Confirmation is the cnf claim (RFC 7800) of a token that passed
// WithBindings: the key the token is bound to.
type Confirmation struct {
	JKT     string // "jkt": base64url SHA-256 JWK thumbprint of the DPoP key (RFC 9449 section 6.1)
	X5TS256 string // "x5t#S256": base64url SHA-256 thumbprint of the client certificate (RFC 8705 section 3.1)
}

// WithBindings tells Verify that the caller checks the sender constraints
// in b: a token whose cnf holds only methods in b passes (its confirmation
// is on Claims.Confirmation, and the caller must then compare it with the
// proof); a cnf holding any other method is still refused with
// ErrBoundToken. Without this option every token with cnf is refused, so a
// bound token sent as a plain bearer token never passes (RFC 9449 section
// 7.2). A cnf of any other form (an empty object, another member, an empty
// value) is refused always, and one of the wrong JSON type is malformed.
// Several WithBindings add up.
//
// There is deliberately no Config default: the code that checks the proof
// is the code that must say so, per call (a route without DPoP behind the
// same Verifier must keep refusing DPoP-bound tokens).
func WithBindings(b Binding) Option { return Option{kind: optBindings, b: b & knownBindings} }

// parseConfirmation reads the value of cnf into c. A JSON type other than an
// object, or a jkt or x5t#S256 that is not a string, is malformed, as for
// every registered claim; the rest is recorded in c.cnf for checkBinding.
func parseConfirmation(s *strictjson.Scanner, c *Claims) error {
	if s.Peek() != strictjson.Object {
		return typeError("cnf", "an object")
	}
	if err := s.BeginObject(); err != nil {
		return malformedJSON("claims", err)
	}
	var conf Confirmation
	var methods Binding
	var other bool
	var m strictjson.Members
	for {
		name, ok, err := s.NextMember(&m)
		if err != nil {
			return malformedJSON("claims", err)
		}
		if !ok {
			break
		}
		var dst *string
		var b Binding
		switch string(name) {
		case "jkt":
			dst, b = &conf.JKT, BindingDPoP
		case "x5t#S256":
			dst, b = &conf.X5TS256, BindingMTLS
		default:
			other = true
			if err := s.Skip(); err != nil {
				return malformedJSON("claims", err)
			}
			continue
		}
		if s.Peek() != strictjson.String {
			return typeError("cnf", "an object whose jkt and x5t#S256 are strings")
		}
		v, err := stringClaim(s, "cnf")
		if err != nil {
			return err
		}
		if v == "" {
			other = true
		}
		*dst, methods = v, methods|b
	}
	if methods != 0 && !other {
		c.cnf = methods
	} else {
		c.cnf = methods | cnfOther
	}
	// A pointer, allocated only here: a field of 32 bytes in Claims would
	// move every Claims to a larger size class, for the tokens without cnf.
	c.Confirmation = &conf
	return nil
}

func errUncheckableBinding() error {
	return newError(ErrBoundToken, "cnf", "Confirmation (cnf) claim holds a confirmation method that cannot be checked (only a non-empty jkt or x5t#S256 can)")
}

// checkBinding refuses a token with cnf unless opts name every method it
// holds. It runs for every call, cache hits included. (A cnf with cnfOther
// is refused by checkClaims already, and never cached.)
func checkBinding(c *Claims, opts []Option) error {
	var checked Binding
	for _, o := range opts {
		if o.kind == optBindings {
			checked |= o.b
		}
	}
	missing := c.cnf &^ checked
	switch {
	case missing == 0:
		return nil
	case missing&cnfOther != 0:
		return errUncheckableBinding()
	case missing&BindingDPoP != 0:
		return newError(ErrBoundToken, "cnf", "the token is bound to a DPoP key (cnf jkt) and this call checks no DPoP proof")
	}
	return newError(ErrBoundToken, "cnf", "the token is bound to a client certificate (cnf x5t#S256) and this call checks no mutual-TLS binding")
}
