package verifier

import (
	"context"
	"errors"
	"reflect"
	"sync/atomic"
	"unsafe"

	"github.com/tokengate/tokengate/internal/hook"
)

// Typed verifies tokens with a Verifier and decodes their custom claims (an
// Auth0 API's namespaced claims: "https://example.com/roles", tenant ids,
// flags) into a T, a struct or a map with string keys. It is safe for
// concurrent use; build it once with NewTyped.
//
// The custom claims are decoded once per token, by the same strict scanner
// as the registered claims (no duplicate or case-folded duplicate member
// names at any depth, valid UTF-8, bounded depth), with a plan built once
// for T, and kept with the token's entry in the verified-token cache: a
// cache hit returns the decoded value without decoding. Decoding follows
// encoding/json's rules for T (json tags, "-", ",string" on booleans,
// numbers and strings, embedded structs, json.RawMessage, json.Number,
// types with their own UnmarshalJSON or UnmarshalText), made strict:
//
//   - a value of the wrong JSON type is refused, as for the registered
//     claims (encoding/json would also refuse it); so is null, except for a
//     pointer (nil), an interface, json.RawMessage and a type with its own
//     UnmarshalJSON: "roles": null does not leave Roles empty, it refuses
//     the token; declare *[]string to accept it;
//   - a member that encoding/json would put in a field whose name differs
//     in case or by Unicode folding ("ROLE" for "role", "ſtatus" for
//     "status") is refused (SECURITY.md X4);
//   - a UnmarshalJSON method receives the member's bytes only after the
//     scanner accepted them, as a copy; its error or panic refuses the
//     token.
//
// Every refusal is ErrMalformed naming the claim, as for the registered
// claims; the message never quotes the value.
//
// The *T that Verify returns is shared by every caller that presents the
// same token while it is cached: treat it as read-only, as the Claims.
// Strings in it may share memory with the cached payload.
type Typed[T any] struct {
	v   *Verifier
	ext extension
}

// TypedConfig configures a Typed. The zero value decodes and checks
// nothing more.
type TypedConfig[T any] struct {
	// Validate, when set, is called by every Verify once the signature,
	// the registered claims, the per-call options and the decoding passed,
	// on cache hits too, with the token's claims and its decoded custom
	// claims (the shared, read-only value). A non-nil error refuses the
	// token: Verify returns a *ValidationError wrapping ErrClaimsRejected
	// and, through it, the hook's error (errors.Is and errors.As reach it).
	// A panic in it is a refusal too. It must be safe for concurrent use;
	// it runs per call, so a slow check should cache its own answers. Its
	// error text goes into the error's message and into logs: keep token
	// values and secrets out of it.
	Validate func(ctx context.Context, claims *Claims, custom *T) error

	// AuthorizationDetails registers a Go type per type value of the
	// token's authorization_details claim (RFC 9396: Rich Authorization
	// Requests). When it is set, or KeepUnknownDetails is, Verify decodes
	// the claim once per token (kept with the cache entry, as the custom
	// claims are), before Validate, and Typed.Details returns it. The claim
	// must be an array of objects, each with a non-empty string "type" that
	// names one of these types and decodes into it as strictly as custom
	// claims do; otherwise the token does not verify (ErrMalformed, claim
	// "authorization_details"). A token without the claim verifies, with no
	// details. Auth0 validates only the type of each detail it grants: the
	// rest (amounts, accounts, actions) is the API's to check, per route
	// (middleware.DetailCheck) or in Validate.
	AuthorizationDetails []DetailType
	// KeepUnknownDetails keeps details of a type AuthorizationDetails does
	// not name, as their JSON text (json.RawMessage), instead of refusing
	// the token.
	KeepUnknownDetails bool
}

// ErrClaimsRejected: the Validate hook of a Typed refused the token's
// claims.
var ErrClaimsRejected = errors.New("verifier: claims rejected")

// NewTyped returns a Typed over v. It returns an error wrapping
// ErrUnsupportedType when T, or a field reachable from it, cannot be
// decoded from JSON (a channel, a function, a complex number, a map whose
// keys are not strings, an interface with methods, a field promoted
// through an unexported embedded pointer, a ",string" option on a type
// that decodes itself or on json.Number): the plan is built here, and no
// token is ever refused for its type alone.
func NewTyped[T any](v *Verifier, cfg TypedConfig[T]) (*Typed[T], error) {
	if v == nil {
		return nil, configError("NewTyped needs a *Verifier")
	}
	p, err := planFor(reflect.TypeFor[T]())
	if err != nil {
		return nil, err
	}
	details, err := newDetailsPlan(cfg.AuthorizationDetails, cfg.KeepUnknownDetails)
	if err != nil {
		return nil, err
	}
	t := &Typed[T]{v: v, ext: extension{plan: p, details: details}}
	if validate := cfg.Validate; validate != nil {
		t.ext.validate = func(ctx context.Context, c *Claims, custom unsafe.Pointer) error {
			return validate(ctx, c, (*T)(custom))
		}
	}
	return t, nil
}

// Verifier returns the Verifier that t wraps.
func (t *Typed[T]) Verifier() *Verifier { return t.v }

// Details returns the authorization details of c, claims that t's Verify
// returned (see TypedConfig.AuthorizationDetails): nil when the token has
// none, when t decodes none, or when c did not come from t. The slice and
// its values are shared with the cache: read-only.
func (t *Typed[T]) Details(c *Claims) AuthorizationDetails {
	if c == nil || t.ext.details == nil {
		return nil
	}
	s := (*customSlot)(atomic.LoadPointer(&c.custom)).find(t.ext.details)
	if s == nil || s.err != nil {
		return nil
	}
	return *(*AuthorizationDetails)(s.val)
}

// Verify is Verifier.Verify followed by the custom claims: it returns the
// token's claims and its custom claims, decoded (or, on a cache hit, as
// decoded before) and accepted by Validate. On error it returns neither.
func (t *Typed[T]) Verify(ctx context.Context, token string, opts ...Option) (*Claims, *T, error) {
	c, val, err := t.v.run(ctx, token, opts, &t.ext)
	if err != nil {
		return nil, nil, err
	}
	return c, (*T)(val), nil
}

// extension is what a Typed adds to Verify once every check has passed,
// on a cache hit and a miss alike: the custom claims (decoded, or taken
// from the cache entry) and the validation hook. Its error is Verify's,
// observed and logged as any other. It is a concrete type, called
// directly, so that the memberIndex on Verify's stack stays there.
type extension struct {
	plan *plan
	// details decodes authorization_details (details.go); nil: not asked
	// for. Its result is always kept on the Claims, for Typed.Details.
	details  *plan
	validate func(ctx context.Context, c *Claims, custom unsafe.Pointer) error // nil: none
}

// extend runs ext for claims c that passed every check; idx is the
// members parseClaims recorded for c, nil on a cache hit.
func (v *Verifier) extend(ctx context.Context, ext *extension, c *Claims, idx *memberIndex) (unsafe.Pointer, error) {
	if ext.details != nil {
		if _, err := ext.details.value(c, idx, true); err != nil {
			return nil, err
		}
	}
	val, err := ext.plan.value(c, idx, v.cache != nil)
	if err != nil || ext.validate == nil {
		return val, err
	}
	if _, err := hook.Call(func() (struct{}, error) { return struct{}{}, ext.validate(ctx, c, val) }); err != nil {
		return nil, &ValidationError{Claim: "claims", Message: "the claims validation hook refused the token: " + err.Error(),
			Err: rejectedError{err}}
	}
	return val, nil
}

// rejectedError is the Err of a hook's refusal: it matches
// ErrClaimsRejected and unwraps to the hook's error.
type rejectedError struct{ cause error }

func (e rejectedError) Error() string        { return ErrClaimsRejected.Error() }
func (e rejectedError) Is(target error) bool { return target == ErrClaimsRejected }
func (e rejectedError) Unwrap() error        { return e.cause }

// customSlot is one plan's result for one Claims: the decoded value or the
// refusal. Slots form a list on Claims.custom, one per plan used with the
// token; they are only ever prepended.
type customSlot struct {
	plan *plan
	val  unsafe.Pointer
	err  error
	next *customSlot
}

// value returns the custom claims of c decoded with p: from c when a call
// decoded them before, else decoded now (from the members in idx when it is
// not nil, else from the payload) and, when keep (c may be cached), stored
// on c. Two first calls that race both decode; the first to store wins and
// both return its result, so every caller shares one value.
func (p *plan) value(c *Claims, idx *memberIndex, keep bool) (unsafe.Pointer, error) {
	head := (*customSlot)(atomic.LoadPointer(&c.custom))
	if s := head.find(p); s != nil {
		return s.val, s.err
	}
	val, err := p.decodeIndexed(c.raw, idx)
	if !keep {
		return val, err
	}
	slot := &customSlot{plan: p, val: val, err: err}
	for {
		slot.next = head
		if atomic.CompareAndSwapPointer(&c.custom, unsafe.Pointer(head), unsafe.Pointer(slot)) {
			return val, err
		}
		head = (*customSlot)(atomic.LoadPointer(&c.custom))
		if s := head.find(p); s != nil {
			return s.val, s.err
		}
	}
}

func (s *customSlot) find(p *plan) *customSlot {
	for ; s != nil; s = s.next {
		if s.plan == p {
			return s
		}
	}
	return nil
}
