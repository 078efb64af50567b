package bench

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
)

// VerifyFunc verifies one token with full validation (signature, iss, aud,
// exp) and decodes the claims a handler uses; nil means accepted.
type VerifyFunc func(ctx context.Context, token string) error

// DecodeFunc is a VerifyFunc that also decodes the token's four custom
// claims into a CustomClaims, the way users of the library do, and returns
// them.
type DecodeFunc func(ctx context.Context, token string) (*CustomClaims, error)

// Contender is one library (or one way of using it) under test.
type Contender struct {
	// Name is the lib= label of the benchmark: lower case, no spaces or
	// slashes, so that benchstat groups by it.
	Name string
	// Library is the Go module path of the library measured.
	Library string
	// Setup says in a few words how the contender is configured.
	Setup string
	// Algs lists the algorithms the contender is run for; the others are
	// reported as not applicable with Unsupported as the reason.
	Algs        []string
	Unsupported string
	// New builds the verifier for f. The returned close func releases what
	// it started (servers, goroutines); it is never nil when err is nil.
	// The custom-claims contenders set NewDecode instead.
	New func(f *Fixture) (verify VerifyFunc, close func(), err error)
	// NewDecode builds the verifier of a custom-claims contender, which
	// also decodes the four custom claims.
	NewDecode func(f *Fixture) (decode DecodeFunc, close func(), err error)
}

// Supports reports whether c runs for alg.
func (c Contender) Supports(alg string) bool { return slices.Contains(c.Algs, alg) }

// Custom reports whether c is a custom-claims contender (NewDecode).
func (c Contender) Custom() bool { return c.NewDecode != nil }

// Verifier builds c's verifier for f as a VerifyFunc, whichever kind of
// contender c is: for a custom-claims contender, the DecodeFunc with its
// result dropped.
func (c Contender) Verifier(f *Fixture) (VerifyFunc, func(), error) {
	if !c.Custom() {
		return c.New(f)
	}
	decode, done, err := c.NewDecode(f)
	if err != nil {
		return nil, nil, err
	}
	return func(ctx context.Context, token string) error {
		_, err := decode(ctx, token)
		return err
	}, done, nil
}

// Names of the contenders that the report treats specially.
const (
	NameTokengate       = "tokengate"
	NameTokengateCached = "tokengate-cached"
	NameGolangJWT       = "golang-jwt-v5"
	NamePrimitive       = "floor-primitive"
	NameMinimal         = "floor-minimal"
	// The custom-claims rows of tokengate: Typed.Verify, uncached and
	// cached.
	NameTokengateCustom       = "tokengate-custom"
	NameTokengateCustomCached = "tokengate-custom-cached"
	NameMinimalCustom         = "floor-minimal-custom"
)

// Contenders returns every contender that verifies tokens, in report order.
// The primitive floor is not among them: it checks a signature, not a token
// (see NewPrimitive).
func Contenders() []Contender {
	return []Contender{
		tokengate(false),
		tokengate(true),
		golangJWT(),
		golangJWTKeyfunc(),
		goJose(),
		goJWTMiddlewareV3(),
		goJWTMiddlewareV2(),
		goOIDC(),
		jwxV2(),
		jwxV3(),
		minimal(),
		// The custom-claims rows: the same token, its four custom claims
		// decoded into CustomClaims as well.
		tokengateCustom(false),
		tokengateCustom(true),
		golangJWTCustom(),
		goJoseCustom(),
		goJWTMiddlewareV3Custom(),
		goOIDCCustom(),
		jwxV3Custom(),
		minimalCustom(),
	}
}

var allAlgs = []string{RS256, HS256, ES256}

// Case is one token of the correctness check and the verdict it must get.
type Case struct {
	Name   string
	Token  string
	Accept bool
}

// Cases lists the tokens every contender must get right before it is timed.
// Each rejected token is validly signed (except the bad-signature one) and
// differs from the good one in one claim only, so a rejection can only come
// from the check that claim is about.
func Cases(f *Fixture) []Case {
	return []Case{
		{"good", f.Good, true},
		{"expired", f.Expired, false},
		{"wrong-audience", f.WrongAudience, false},
		{"wrong-issuer", f.WrongIssuer, false},
		{"bad-signature", f.BadSignature, false},
	}
}

// CustomCases are the Cases of a custom-claims contender: Cases, and a token
// whose roles claim is a string where CustomClaims has a list.
func CustomCases(f *Fixture) []Case {
	return append(Cases(f), Case{"custom-wrong-type", f.WrongCustom, false})
}

// ErrCheck is wrapped by the errors of Check.
var ErrCheck = errors.New("bench: contender fails the correctness check")

// Check runs every case of Cases through verify and returns an error naming
// each case it got wrong. The good token is checked first and last, so a
// contender whose state is spoiled by a rejected token is caught too.
func Check(ctx context.Context, f *Fixture, verify VerifyFunc) error {
	cases := Cases(f)
	cases = append(cases, cases[0])
	var errs []error
	for _, c := range cases {
		err := verify(ctx, c.Token)
		switch {
		case c.Accept && err != nil:
			errs = append(errs, fmt.Errorf("%w: %s token: got error %v, want accepted", ErrCheck, c.Name, err))
		case !c.Accept && err == nil:
			errs = append(errs, fmt.Errorf("%w: %s token: got accepted, want rejected", ErrCheck, c.Name))
		}
	}
	return errors.Join(errs...)
}

// CheckDecode is Check for a custom-claims contender: it runs CustomCases
// and wants the good token's custom claims to be GoodCustom's, before the
// rejected tokens and after them.
func CheckDecode(ctx context.Context, f *Fixture, decode DecodeFunc) error {
	var errs []error
	want := GoodCustom()
	cases := CustomCases(f)
	cases = append(cases, cases[0])
	for i, c := range cases {
		got, err := decode(ctx, c.Token)
		switch {
		case c.Accept && err != nil:
			errs = append(errs, fmt.Errorf("%w: %s token: got error %v, want accepted", ErrCheck, c.Name, err))
		case c.Accept && (got == nil || !reflect.DeepEqual(*got, want)):
			errs = append(errs, fmt.Errorf("%w: %s token (%d): got custom claims %+v, want %+v", ErrCheck, c.Name, i, got, want))
		case !c.Accept && err == nil:
			errs = append(errs, fmt.Errorf("%w: %s token: got accepted, want rejected", ErrCheck, c.Name))
		}
	}
	return errors.Join(errs...)
}
