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
	"unicode"
	"unsafe"

	"github.com/tokengate/tokengate/internal/strictjson"
)

// Claims are the verified claims of a token. A *Claims returned by Verify
// may be shared with other callers through the verified-token cache: treat it
// as read-only. Time fields are zero when the claim is absent.
//
// The token string is not an identifier of its claims: every segment must be
// canonical base64url, but ECDSA signatures are malleable by design (if
// (r, s) verifies, so does (r, n-s)), so two token strings can carry the
// same claims under valid signatures. Key replay or revocation lists on ID
// (jti), not on the raw token.
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

	// Confirmation is the cnf claim, nil when the token has none: the key
	// a sender-constrained token is bound to. Verify returns a token with
	// cnf only to a call that named its methods with WithBindings, and that
	// caller must compare it with the proof (DPoP or the TLS client
	// certificate).
	Confirmation *Confirmation

	// Actor is the act claim (RFC 8693 section 4.1), nil when absent: the
	// party that acts on behalf of Subject (an agent, a service that
	// exchanged the user's token). Actor.Actor is the party that acted
	// before it, and so on, at most Config.MaxActorDepth actors.
	Actor *Actor
	// MayAct is the may_act claim (RFC 8693 section 4.4), nil when absent:
	// the party allowed to act for Subject. Its Actor is always nil (an act
	// inside may_act has no meaning and is not read).
	MayAct *Actor

	raw []byte // the verified payload, for Decode

	// custom holds the custom claims decoded by Typed wrappers, one
	// *customSlot per plan, read and written with sync/atomic: a cache hit
	// returns them without decoding. (Not an atomic.Pointer, whose noCopy
	// would make go vet flag every copy of a Claims value.)
	custom unsafe.Pointer

	// lists backs Audience, Scope and Permissions when they fit, so that a
	// verification allocates the Claims and nothing more for them. 15
	// entries, and nlists a byte, keep a Claims within the 640-byte size
	// class (TestClaimsSize).
	lists [15]string

	// NumericDates as sent, for the checks (sub-second precision).
	exp, nbf, iat, authTime float64
	has                     claimSet
	cnf                     Binding // methods of cnf, and cnfOther; 0 without cnf
	nlists                  uint8   // entries of lists in use
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
	if at := int(c.nlists); at+n <= len(c.lists) {
		dst := c.lists[at : at+n : at+n]
		copy(dst, list)
		c.nlists += uint8(n)
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
// duplicate-free UTF-8 JSON, and Decode refuses a member that encoding/json
// would match to a struct field of v whose name differs (encoding/json would
// fill the field tagged "role" from "ROLE", and the one tagged "status"
// from "ſtatus" with U+017F). Fields are the ones encoding/json sees:
// an embedded struct with a json tag is one field of that name, an embedded
// struct without one lends its fields, the shallower of two equal names wins.
//
// Decode reads the payload again on every call, cache hits included. For
// custom claims read on every request, use a Typed (NewTyped): it decodes
// them once per cached token, and refuses null and wrong types as it does
// for the registered claims (Decode, like encoding/json, takes null as
// absent).
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
		var fields *structFields
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
		var buf [64]byte
		for {
			name, ok, err := s.NextMember(&m)
			if err != nil {
				return err
			}
			if !ok {
				return nil
			}
			next := elem
			if fields != nil {
				if ft, exact := fields.exact[string(name)]; exact {
					next = ft
				} else if other, found := fields.folded[string(strictjson.AppendFold(buf[:0], name))]; found {
					return fmt.Errorf("verifier: claim %q matches field %q only by case", name, other)
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
		for {
			ok, err := s.NextElement()
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

// structFields are the JSON fields of a struct type as encoding/json decodes
// them: by exact name, and by folded name (strictjson.AppendFold, the same
// equivalence as encoding/json's foldName) to one of the exact names.
type structFields struct {
	exact  map[string]reflect.Type
	folded map[string]string
}

var fieldCache sync.Map // reflect.Type -> *structFields

func jsonFields(t reflect.Type) *structFields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(*structFields)
	}
	f := &structFields{exact: map[string]reflect.Type{}, folded: map[string]string{}}
	for _, fd := range visibleJSONFields(t) {
		f.exact[fd.name] = fd.typ
		key := string(strictjson.AppendFold(nil, []byte(fd.name)))
		if _, ok := f.folded[key]; !ok {
			f.folded[key] = fd.name
		}
	}
	fieldCache.Store(t, f)
	return f
}

// jsonField is one candidate field of visibleJSONFields.
type jsonField struct {
	name   string
	typ    reflect.Type
	index  []int // the path of field indexes from the outer struct, as reflect.Type.FieldByIndex takes it
	depth  int
	tagged bool
	quoted bool // the ",string" option applies (a bool, number or string field, or an unnamed pointer to one)
}

// visibleJSONFields applies encoding/json's field rules to struct type t:
// exported fields (and the exported fields of embedded structs, exported or
// not) under their json tag name when it is valid, else their Go name;
// json:"-" skipped; an embedded struct (or pointer to one) is descended into
// only when it has no tag name, breadth first, each type once. Of several
// fields with one name, the shallowest wins, then a tagged one; a tie hides
// them all.
func visibleJSONFields(t reflect.Type) []jsonField {
	type embedded struct {
		typ   reflect.Type
		index []int
	}
	var cands []jsonField
	current, next := []embedded{}, []embedded{{typ: t}}
	nextCount := map[reflect.Type]int{}
	visited := map[reflect.Type]bool{}
	for depth := 0; len(next) > 0; depth++ {
		current, next = next, current[:0]
		count := nextCount
		nextCount = map[reflect.Type]int{}
		for _, e := range current {
			st := e.typ
			if visited[st] {
				continue
			}
			visited[st] = true
			for i := range st.NumField() {
				sf := st.Field(i)
				if sf.Anonymous {
					et := sf.Type
					if et.Kind() == reflect.Pointer {
						et = et.Elem()
					}
					if !sf.IsExported() && et.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !validTagName(name) {
					name = ""
				}
				index := append(append(make([]int, 0, len(e.index)+1), e.index...), i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					f := jsonField{name: name, typ: sf.Type, index: index, depth: depth, tagged: name != ""}
					if f.name == "" {
						f.name = sf.Name
					}
					if hasOption(opts, "string") {
						switch ft.Kind() {
						case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
							reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
							reflect.Float32, reflect.Float64, reflect.String:
							f.quoted = true
						}
					}
					cands = append(cands, f)
					if count[st] > 1 {
						// st is embedded twice at this depth: the copy
						// makes the name a tie, hidden as encoding/json does.
						cands = append(cands, f)
					}
					continue
				}
				nextCount[ft]++
				if nextCount[ft] == 1 {
					next = append(next, embedded{ft, index})
				}
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b jsonField) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if a.depth != b.depth {
			return a.depth - b.depth
		}
		switch {
		case a.tagged && !b.tagged:
			return -1
		case b.tagged && !a.tagged:
			return 1
		}
		return 0
	})
	out := cands[:0]
	for i := 0; i < len(cands); {
		j := i + 1
		for j < len(cands) && cands[j].name == cands[i].name {
			j++
		}
		if j-i == 1 || cands[i].depth != cands[i+1].depth || cands[i].tagged != cands[i+1].tagged {
			out = append(out, cands[i])
		}
		i = j
	}
	return out
}

// hasOption reports whether the comma-separated tag options opts hold name.
func hasOption(opts, name string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == name {
			return true
		}
	}
	return false
}

// validTagName reports whether encoding/json accepts name as a field name
// from a tag (else it uses the Go name).
func validTagName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}
