package verifier

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tokengate/tokengate/internal/strictjson"
)

// Claims are the verified claims of a token. A *Claims returned by Verify
// may be shared with other callers through the verified-token cache: treat it
// as read-only. Time fields are zero when the claim is absent.
type Claims struct {
	Issuer          string    // iss
	Subject         string    // sub
	Audience        []string  // aud, always as a list
	ExpiresAt       time.Time // exp
	IssuedAt        time.Time // iat
	NotBefore       time.Time // nbf
	AuthTime        time.Time // auth_time
	AuthorizedParty string    // azp
	ClientID        string    // client_id (RFC 9068)
	ID              string    // jti
	Nonce           string    // nonce
	OrgID           string    // org_id (Auth0 Organizations)
	OrgName         string    // org_name
	Scope           []string  // scope, split on spaces
	Permissions     []string  // permissions (Auth0 RBAC)

	// Confirmation is the cnf claim: the key a sender-constrained token is
	// bound to. Verify returns a token with cnf only to a call that named
	// its methods with WithBindings, and that caller must compare it with
	// the proof (DPoP or the TLS client certificate).
	Confirmation Confirmation

	raw []byte // the verified payload, for Decode

	// lists backs Audience, Scope and Permissions when they fit, so that a
	// verification allocates the Claims and nothing more for them.
	lists  [16]string
	nlists int

	// NumericDates as sent, for the checks (sub-second precision).
	exp, nbf, iat, authTime float64
	has                     claimSet
	cnf                     Binding // methods of cnf, and cnfOther; 0 without cnf
}

// claimSet records which registered claims were present.
type claimSet uint16

const (
	hasIss claimSet = 1 << iota
	hasSub
	hasAud
	hasExp
	hasNbf
	hasIat
	hasAuthTime
	hasAzp
	hasNonce
	hasOrgID
	hasOrgName
	hasClientID
)

// keep stores list in c.lists when it fits, else in a new slice. The result
// has its capacity capped, so an append by a caller cannot overwrite the
// next list.
func (c *Claims) keep(list []string) []string {
	n := len(list)
	if n == 0 {
		return []string{}
	}
	if c.nlists+n <= len(c.lists) {
		dst := c.lists[c.nlists : c.nlists+n : c.nlists+n]
		copy(dst, list)
		c.nlists += n
		return dst
	}
	return append(make([]string, 0, n), list...)
}

// HasScope reports whether the space-separated scope claim contains s.
func (c *Claims) HasScope(s string) bool { return slices.Contains(c.Scope, s) }

// HasPermission reports whether the permissions claim contains p.
func (c *Claims) HasPermission(p string) bool { return slices.Contains(c.Permissions, p) }

// Raw returns a copy of the verified payload JSON.
func (c *Claims) Raw() []byte { return append([]byte(nil), c.raw...) }

// Decode unmarshals the verified payload into v (custom claims), with
// encoding/json semantics made strict: the payload is already known to be
// duplicate-free UTF-8 JSON, and Decode refuses a member whose name matches
// a struct field of v only when case is ignored (encoding/json would fill
// the field from "ROLE" for a field tagged "role").
func (c *Claims) Decode(v any) error {
	if v == nil {
		return errors.New("verifier: Decode(nil)")
	}
	s := strictjson.NewScanner(c.raw)
	if err := checkCase(&s, reflect.TypeOf(v)); err != nil {
		return err
	}
	return json.Unmarshal(c.raw, v)
}

// checkCase walks the JSON value at s along type t.
func checkCase(s *strictjson.Scanner, t reflect.Type) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch s.Peek() {
	case strictjson.Object:
		var fields map[string]string
		var elem reflect.Type
		if t != nil {
			switch t.Kind() {
			case reflect.Struct:
				fields = jsonFields(t)
			case reflect.Map:
				elem = t.Elem()
			}
		}
		if err := s.BeginObject(); err != nil {
			return err
		}
		var m strictjson.Members
		for first := true; ; first = false {
			name, ok, err := s.NextMember(&m, first)
			if err != nil {
				return err
			}
			if !ok {
				return nil
			}
			next := elem
			if fields != nil {
				lower := strings.ToLower(string(name))
				if exact, found := fields[lower]; found {
					if exact != string(name) {
						return fmt.Errorf("verifier: claim %q matches field %q only by case", name, exact)
					}
					next = fieldType(t, exact)
				}
			}
			if err := checkCase(s, next); err != nil {
				return err
			}
		}
	case strictjson.Array:
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		if err := s.BeginArray(); err != nil {
			return err
		}
		for first := true; ; first = false {
			ok, err := s.NextElement(first)
			if err != nil {
				return err
			}
			if !ok {
				return nil
			}
			if err := checkCase(s, elem); err != nil {
				return err
			}
		}
	}
	return s.Skip()
}

var fieldCache sync.Map // reflect.Type -> map[lower name]exact name

func jsonFields(t reflect.Type) map[string]string {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]string)
	}
	m := map[string]string{}
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous && f.Type.Kind() == reflect.Struct {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("json"); ok {
			n, _, _ := strings.Cut(tag, ",")
			if n == "-" && !strings.HasPrefix(tag, "-,") {
				continue
			}
			if n != "" {
				name = n
			}
		}
		m[strings.ToLower(name)] = name
	}
	fieldCache.Store(t, m)
	return m
}

func fieldType(t reflect.Type, name string) reflect.Type {
	for _, f := range reflect.VisibleFields(t) {
		n := f.Name
		if tag, ok := f.Tag.Lookup("json"); ok {
			if tn, _, _ := strings.Cut(tag, ","); tn != "" {
				n = tn
			}
		}
		if n == name {
			return f.Type
		}
	}
	return nil
}
