package verifier

import (
	"bytes"
	"encoding/json"
	"iter"
	"reflect"
	"unsafe"

	"github.com/tokengate/tokengate/internal/strictjson"
)

// Rich Authorization Requests (RFC 9396): the authorization_details claim
// of an access token, decoded by a Typed (TypedConfig.AuthorizationDetails)
// with the typed-claims machinery and kept with the token's cache entry.
//
// Auth0 checks only the "type" of each detail it grants; everything else in
// it is the API's to validate. Here every element must be an object with a
// string "type" that names a registered Go type (or, with
// KeepUnknownDetails, any type, kept as its JSON text), and decodes into
// that type as strictly as custom claims do. A token that breaks any of
// this does not verify (ErrMalformed, claim "authorization_details").

// detailsClaim is the claim RFC 9396 section 9.1 puts in access tokens.
const detailsClaim = "authorization_details"

// AuthorizationDetail is one element of a token's authorization_details
// claim.
type AuthorizationDetail struct {
	// Type is the element's "type" member.
	Type string
	// Value is the element decoded: a *T for the T that DetailOf registered
	// for Type, or, for a type no DetailType names, its JSON text as a
	// json.RawMessage (TypedConfig.KeepUnknownDetails). Shared with the
	// cache and other requests presenting the same token: read-only.
	Value any
}

// AuthorizationDetails is the decoded authorization_details claim, in the
// token's order; nil when the token has none.
type AuthorizationDetails []AuthorizationDetail

// DetailType binds an authorization details type value to a Go type, for
// TypedConfig.AuthorizationDetails. Build it with DetailOf.
type DetailType struct {
	name string
	typ  reflect.Type
}

// DetailOf registers T, a struct or a map with string keys, as the Go type
// of the authorization details whose "type" is typ (exactly; RFC 9396 type
// values are case-sensitive). T is decoded as custom claims are (see
// Typed); its own "type" field, if it has one, receives the type value.
func DetailOf[T any](typ string) DetailType {
	return DetailType{name: typ, typ: reflect.TypeFor[T]()}
}

// DetailsOf returns the details of ds whose Type is typ and whose Value is
// a *T, in order.
func DetailsOf[T any](ds AuthorizationDetails, typ string) iter.Seq[*T] {
	return func(yield func(*T) bool) {
		for _, d := range ds {
			if d.Type != typ {
				continue
			}
			if v, ok := d.Value.(*T); ok && !yield(v) {
				return
			}
		}
	}
}

// detailsPlan decodes authorization_details with the plans of the
// registered types.
type detailsPlan struct {
	types map[string]*plan
	keep  bool // KeepUnknownDetails
}

// newDetailsPlan returns the plan that decodes the authorization_details
// member of the claims into an AuthorizationDetails, or nil when the
// configuration asks for none. Each call returns a new plan: its identity is
// that of its slot on a Claims (one per Typed).
func newDetailsPlan(types []DetailType, keep bool) (*plan, error) {
	if len(types) == 0 && !keep {
		return nil, nil
	}
	dp := &detailsPlan{types: make(map[string]*plan, len(types)), keep: keep}
	for _, t := range types {
		if t.name == "" || t.typ == nil {
			return nil, configError("AuthorizationDetails: a DetailType needs a type value (build it with DetailOf)")
		}
		if _, dup := dp.types[t.name]; dup {
			return nil, configError("AuthorizationDetails: type %q registered twice", t.name)
		}
		p, err := planFor(t.typ)
		if err != nil {
			return nil, configError("AuthorizationDetails: type %q: %v", t.name, err)
		}
		dp.types[t.name] = p
	}
	// The claims object's plan: one member, authorization_details, which the
	// registered-claims parser skips and records, so decoding goes straight
	// to it. A member equal to it only by case is refused, as for any
	// custom claim (SECURITY.md X4).
	fp := &fieldPlan{name: detailsClaim, codec: &codec{dec: dp.decode, want: "an array of objects"}}
	folded := string(strictjson.AppendFold(nil, []byte(detailsClaim)))
	sp := &structPlan{
		fields:     map[string]*fieldPlan{detailsClaim: fp},
		folded:     map[string]string{folded: detailsClaim},
		lens:       lenBit(len(detailsClaim)),
		foldedLens: lenBit(len(folded)),
		list:       []*fieldPlan{fp},
	}
	return &plan{typ: reflect.TypeFor[AuthorizationDetails](), codec: &codec{dec: sp.decode, want: "an object"}, top: sp}, nil
}

// decode decodes the claim's value into the AuthorizationDetails at p. Each
// element is read twice, once for its type and once by its type's plan: the
// cost stays linear in the claim's size.
func (dp *detailsPlan) decode(d *decodeState, p unsafe.Pointer) error {
	if d.s.Peek() != strictjson.Array {
		return detailsError("the claim is not an array")
	}
	if err := d.s.BeginArray(); err != nil {
		return d.syntax(err)
	}
	var out AuthorizationDetails
	for {
		more, err := d.s.NextElement()
		if err != nil {
			return d.syntax(err)
		}
		if !more {
			break
		}
		if d.s.Peek() != strictjson.Object {
			return detailsError("an element is not an object")
		}
		raw, err := d.s.SkipRaw()
		if err != nil {
			return d.syntax(err)
		}
		typ, err := detailTypeOf(raw)
		if err != nil {
			return err
		}
		if tp, ok := dp.types[typ]; ok {
			val, err := tp.decode(raw)
			if err != nil {
				msg := "the element of type " + quoteID([]byte(typ)) + " does not fit its Go type"
				if ve, ok := err.(*ValidationError); ok {
					msg += ": " + ve.Message
				}
				return detailsError(msg)
			}
			out = append(out, AuthorizationDetail{Type: typ, Value: reflect.NewAt(tp.typ, val).Interface()})
			continue
		}
		if !dp.keep {
			return detailsError("an element's type " + quoteID([]byte(typ)) + " is not one this API accepts")
		}
		out = append(out, AuthorizationDetail{Type: typ, Value: json.RawMessage(bytes.Clone(raw))})
	}
	*(*AuthorizationDetails)(p) = out
	return nil
}

// detailTypeOf returns the "type" member of the detail raw, an object the
// claims parse checked (no duplicate names): a non-empty string.
func detailTypeOf(raw []byte) (string, error) {
	s := strictjson.NewCheckedScanner(raw)
	if err := s.BeginObject(); err != nil {
		return "", malformedJSON(detailsClaim, err)
	}
	for {
		name, ok, err := s.NextMember(nil)
		if err != nil {
			return "", malformedJSON(detailsClaim, err)
		}
		if !ok {
			return "", detailsError(`an element has no "type" member`)
		}
		if string(name) != "type" {
			if err := s.Skip(); err != nil {
				return "", malformedJSON(detailsClaim, err)
			}
			continue
		}
		if s.Peek() != strictjson.String {
			return "", detailsError(`an element's "type" is not a string`)
		}
		v, esc, err := s.ReadString()
		if err != nil {
			return "", malformedJSON(detailsClaim, err)
		}
		if esc {
			v = strictjson.Unescape(nil, v)
		}
		if len(v) == 0 {
			return "", detailsError(`an element's "type" is empty`)
		}
		return str(v), nil
	}
}

func detailsError(msg string) error {
	return newError(ErrMalformed, detailsClaim, "authorization_details: "+msg)
}
