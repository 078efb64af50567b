package verifier_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// tokenCase is one row of the security catalogue (SECURITY.md) run
// through Verify. The subtest is named by id: the row id, then the variant.
type tokenCase struct {
	id      string                    // "N2/None"
	cfg     func(*verifier.Config)    // adjusts the default config; nil: RS256 only, keys k1 (RS256) and e1 (ES256)
	tok     func(t testing.TB) string // builds the token
	payload string                    // the claims JSON the token signs, when the case is about claims (fuzz seeds)
	opts    []verifier.Option
	want    error  // nil: accepted
	msg     string // a text the error message must contain
}

// sentinels lists every sentinel of the package: an error must match the
// one it is about and no other (a signature failure is never also
// "expired", CVE-2024-51744).
var sentinels = []error{
	verifier.ErrMalformed, verifier.ErrAlgorithm, verifier.ErrKeyNotFound, verifier.ErrSignature,
	verifier.ErrExpired, verifier.ErrNotYetValid, verifier.ErrIssuer, verifier.ErrAudience,
	verifier.ErrNonce, verifier.ErrMaxAge, verifier.ErrOrganization, verifier.ErrAuthorizedParty,
	verifier.ErrKeysUnavailable, verifier.ErrTokenType, verifier.ErrMissingClaim, verifier.ErrBoundToken,
}

func runCases(t *testing.T, cases []tokenCase) {
	t.Helper()
	loadKeys()
	seen := map[string]bool{}
	for _, tc := range cases {
		if seen[tc.id] {
			t.Fatalf("duplicate case id %s", tc.id)
		}
		seen[tc.id] = true
		t.Run(tc.id, func(t *testing.T) {
			var cfg verifier.Config
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			v := newVerifier(t, cfg)
			tok := tc.tok(t)
			// Twice: the second call may be answered by the verified-token
			// cache and must give the same outcome.
			for range 2 {
				c, err := v.Verify(context.Background(), tok, tc.opts...)
				checkOutcome(t, tok, c, err, tc.want, tc.msg)
			}
		})
	}
}

// checkOutcome asserts the exact outcome of a Verify call.
func checkOutcome(t testing.TB, tok string, c *verifier.Claims, err, want error, msg string) {
	t.Helper()
	if want == nil {
		if err != nil || c == nil {
			t.Fatalf("got error %v (claims %v), want the token accepted", err, c != nil)
		}
		return
	}
	if c != nil {
		t.Errorf("got claims with the error %v, want nil claims", err)
	}
	if !errors.Is(err, want) {
		t.Fatalf("got error %v, want %v", err, want)
	}
	var ve *verifier.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got error of type %T, want *verifier.ValidationError", err)
	}
	if ve.Claim == "" {
		t.Errorf("got ValidationError with no Claim (%v), want the member at fault named", err)
	}
	for _, s := range sentinels {
		if s != want && errors.Is(err, s) {
			t.Errorf("error %v also matches %v, want only %v", err, s, want)
		}
	}
	if msg != "" && !strings.Contains(err.Error(), msg) {
		t.Errorf("got message %q, want it to contain %q", err.Error(), msg)
	}
	// The message never echoes the token or its signature.
	if len(tok) > 40 && strings.Contains(err.Error(), tok) {
		t.Errorf("error message echoes the token")
	}
	if i := strings.LastIndexByte(tok, '.'); i >= 0 && len(tok)-i > 20 && strings.Contains(err.Error(), tok[i+1:]) {
		t.Errorf("error message echoes the signature")
	}
}

// casesByID returns the cases whose id is one of ids or starts with id+"/".
func casesByID(all []tokenCase, ids ...string) []tokenCase {
	var out []tokenCase
	for _, tc := range all {
		for _, id := range ids {
			if tc.id == id || strings.HasPrefix(tc.id, id+"/") {
				out = append(out, tc)
				break
			}
		}
	}
	return out
}

// allCases is every table of the security catalogue, for the checklist of
// section 2 and for the fuzz seeds.
func allCases() []tokenCase {
	var all []tokenCase
	for _, f := range []func() []tokenCase{
		noneCases, confusionCases, mismatchCases, algCases, kidCases, embeddedCases, critCases, duplicateCases,
		sizeCases, base64Cases, ecCases, rsaCases, audIssCases, timeCases, hmacCases, idTokenCases,
		accessTokenCases, syntaxCases,
	} {
		all = append(all, f()...)
	}
	return all
}

// Token builders.

// signed returns a builder of a token over the raw header and payload JSON,
// signed with alg and the private key or secret key.
func signed(alg string, key func() any, header, payload string) func(testing.TB) string {
	return func(t testing.TB) string { return sign(t, alg, key(), header, payload) }
}

// rs signs payload with K_rsa (kid k1, RS256).
func rs(payload string) func(testing.TB) string {
	return signed("RS256", rsaPriv, hdr("RS256", "k1"), payload)
}

// rsHeader signs payload with K_rsa under a raw header.
func rsHeader(header, payload string) func(testing.TB) string {
	return signed("RS256", rsaPriv, header, payload)
}

// raw returns a builder of a fixed string.
func raw(s string) func(testing.TB) string { return func(testing.TB) string { return s } }

// parts joins base64url segments of raw texts.
func parts(header, payload, sig string) string {
	return b64([]byte(header)) + "." + b64([]byte(payload)) + "." + sig
}

func rsaPriv() any  { return rsaKey }
func rsaPriv2() any { return rsaKey2 }
func ecPriv() any   { return ecKey }
func edPriv() any   { return edKey }
func hmacPriv() any { return hmacKey }

// payload returns the standard claims (those of claims(nil)) without the
// members named in drop, with the raw JSON members extra appended.
func payload(extra string, drop ...string) string {
	over := map[string]any{}
	for _, d := range drop {
		over[d] = nil
	}
	base := claims(over)
	if extra == "" {
		return base
	}
	if base == "{}" {
		return "{" + extra + "}"
	}
	return base[:len(base)-1] + "," + extra + "}"
}

// Config adjusters.

func algs(a ...string) func(*verifier.Config) {
	return func(c *verifier.Config) { c.Algorithms = a }
}

// keysAlgs sets the key source (built when the case runs, after loadKeys)
// and the allowed algorithms.
func keysAlgs(src func() verifier.KeySource, a ...string) func(*verifier.Config) {
	return func(c *verifier.Config) {
		c.Algorithms = a
		c.Keys = src()
	}
}

// key and set build keys for case configs; a refusal is a bug in the test.
func key(kid, alg string, k any) *verifier.Key {
	out, err := verifier.NewKey(kid, alg, k)
	if err != nil {
		panic(err)
	}
	return out
}

func set(keys ...*verifier.Key) *verifier.KeySet {
	s, err := verifier.NewKeySet(keys...)
	if err != nil {
		panic(err)
	}
	return s
}

// naiveSource returns the key with the kid whatever the alg: a key source
// that does not do its part. The verifier must still refuse a key bound to
// another algorithm (SECURITY.md KC5, M1-M3).
type naiveSource map[string]*verifier.Key

func (s naiveSource) Key(_ context.Context, kid, _ string) (*verifier.Key, error) {
	if k, ok := s[kid]; ok {
		return k, nil
	}
	return nil, verifier.ErrKeyNotFound
}

// countingSource counts lookups and records the kids asked for.
type countingSource struct {
	src   verifier.KeySource
	calls atomic.Int64
	kids  chan string // buffered; the last kids asked for
}

func newCountingSource(src verifier.KeySource) *countingSource {
	return &countingSource{src: src, kids: make(chan string, 64)}
}

func (s *countingSource) Key(ctx context.Context, kid, alg string) (*verifier.Key, error) {
	s.calls.Add(1)
	select {
	case s.kids <- kid:
	default:
	}
	return s.src.Key(ctx, kid, alg)
}

// fakeClock is a settable clock for Config.Now.
type fakeClock struct{ ns atomic.Int64 }

func newFakeClock(t time.Time) *fakeClock {
	c := &fakeClock{}
	c.ns.Store(t.UnixNano())
	return c
}

func (c *fakeClock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *fakeClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }
func (c *fakeClock) Set(t time.Time)         { c.ns.Store(t.UnixNano()) }
