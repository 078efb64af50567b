package middleware

import (
	"context"
	"net/http"
	"reflect"
	"unsafe"

	"github.com/tokengate/tokengate/verifier"
)

// AuthenticateTyped is Authenticate with custom claims: it verifies the
// request's token with tv, which also decodes the token's custom claims into
// a T (once per token while it is cached: see verifier.Typed) and runs its
// Validate hook, and puts both the claims and the custom claims on the
// context (ClaimsFromContext, CustomClaimsFromContext). It takes the same
// options and answers as Authenticate. A token whose custom claims do not
// decode into T, or that the Validate hook refuses, does not verify: 401
// invalid_token, like any invalid token (Event.Reason "malformed" or
// "claims_rejected"); except that a hook error wrapping
// verifier.ErrKeysUnavailable or a context error (a lookup the hook made
// that did not answer in time) is answered 503 with Retry-After, as a key
// source outage is, and 499 when the client went away.
//
// It panics if tv is nil or the options contradict each other.
func AuthenticateTyped[T any](tv *verifier.Typed[T], opts ...Option) func(http.Handler) http.Handler {
	if tv == nil {
		panic("middleware: AuthenticateTyped needs a *verifier.Typed")
	}
	a := newAuthenticator(tv.Verifier(), newConfig(opts))
	a.typed = &typedVerify{
		typ: reflect.TypeFor[T](),
		verify: func(ctx context.Context, token string, opts []verifier.Option) (*verifier.Claims, unsafe.Pointer, error) {
			c, custom, err := tv.Verify(ctx, token, opts...)
			return c, unsafe.Pointer(custom), err
		},
		details: tv.Details,
	}
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("middleware: AuthenticateTyped given a nil handler")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a.serve(w, r, next)
		})
	}
}

// typedVerify is what AuthenticateTyped adds to an authenticator: Typed's
// Verify, and the type of the custom claims it returns.
type typedVerify struct {
	typ    reflect.Type
	verify func(ctx context.Context, token string, opts []verifier.Option) (*verifier.Claims, unsafe.Pointer, error)
	// details returns the authorization details tv decoded for claims it
	// verified (DetailsFromContext); nil when it decodes none.
	details func(*verifier.Claims) verifier.AuthorizationDetails
}

// typedState is the request state of AuthenticateTyped: the state, then the
// custom claims (a *T of a.typed.typ). It is a type of its own so that the
// state of every other request stays within its 80-byte size class
// (TestStateSize); the request's context is &ts.state, and
// CustomClaimsFromContext finds custom from it (see customOf).
type typedState struct {
	state
	custom unsafe.Pointer
}

// newState returns the state of a request whose token verified: a
// typedState's for AuthenticateTyped.
func (a *authenticator) newState(ctx context.Context, token string, claims *verifier.Claims, custom unsafe.Pointer) *state {
	if a.typed == nil {
		return &state{Context: ctx, claims: claims, token: token, auth: a}
	}
	ts := &typedState{state: state{Context: ctx, claims: claims, token: token, auth: a}, custom: custom}
	return &ts.state
}

// verify checks token with the verifier options of a's configuration:
// Typed.Verify for AuthenticateTyped (custom is then its *T), else
// Verifier.Verify (custom nil).
func (a *authenticator) verify(ctx context.Context, token string) (c *verifier.Claims, custom unsafe.Pointer, err error) {
	if a.typed != nil {
		return a.typed.verify(ctx, token, a.cfg.verifyOpts)
	}
	c, err = a.v.Verify(ctx, token, a.cfg.verifyOpts...)
	return c, nil, err
}

// customOf returns the custom claims on s when they are a *t: s has claims
// and was made by an AuthenticateTyped, whose states with claims are all
// the first field of a typedState (newState), so that a pointer to s is one
// to its typedState.
func customOf(s *state, t reflect.Type) unsafe.Pointer {
	if s == nil || s.claims == nil || s.auth == nil || s.auth.typed == nil || s.auth.typed.typ != t {
		return nil
	}
	return (*typedState)(unsafe.Pointer(s)).custom
}

// CustomClaimsFromContext returns the custom claims that AuthenticateTyped
// with a *verifier.Typed[T] put on ctx. It reports false when there are
// none: the innermost Authenticate of the chain is not an AuthenticateTyped
// of this T, or the request was anonymous (CredentialsOptional).
//
// The value is shared with the Verifier's cache and with other requests
// presenting the same token: treat it as read-only.
func CustomClaimsFromContext[T any](ctx context.Context) (*T, bool) {
	p := customOf(stateFrom(ctx), reflect.TypeFor[T]())
	return (*T)(p), p != nil
}
