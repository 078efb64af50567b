package verifier_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// countingServer is an httptest server that counts every request: the
// verifier must never call it, whatever URL a token names.
func countingServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"keys":[]}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// H2 (and A11): jku and x5u are never fetched, whether they name an
// attacker's host or the configured issuer's own host; and KD1: a kid that
// is a URL is only a map key.
func TestNoOutboundRequest(t *testing.T) {
	loadKeys()
	attacker, attackerHits := countingServer(t)
	issuer, issuerHits := countingServer(t)
	iss := issuer.URL + "/"
	p := payload(fmt.Sprintf(`"iss":%q`, iss), "iss")
	tests := []struct {
		id     string
		member string
	}{
		{"H2/jku-attacker", fmt.Sprintf(`"jku":%q`, attacker.URL+"/jwks.json")},
		{"H2/x5u-attacker", fmt.Sprintf(`"x5u":%q`, attacker.URL+"/cert.pem")},
		{"H2/jku-issuer-host", fmt.Sprintf(`"jku":%q`, issuer.URL+"/.well-known/jwks.json")},
		{"H2/x5u-issuer-host", fmt.Sprintf(`"x5u":%q`, issuer.URL+"/cert.pem")},
		{"H2/jku-and-x5u", fmt.Sprintf(`"jku":%q,"x5u":%q`, attacker.URL+"/a", issuer.URL+"/b")},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			for _, s := range []struct {
				name   string
				reject bool
				priv   any
				kid    string
				want   error
			}{
				{"attacker-signed", false, rsaKey2, "k1", errSig},
				{"attacker-signed-unknown-kid", false, rsaKey2, "attacker", errKid},
				{"genuine", false, rsaKey, "k1", nil},
				{"genuine-switch-on", true, rsaKey, "k1", errMalformed},
			} {
				t.Run(s.name, func(t *testing.T) {
					src := newCountingSource(set(key("k1", "RS256", rsaPub())))
					v := newVerifier(t, verifier.Config{Issuer: iss, Keys: src, RejectEmbeddedKeys: s.reject})
					tok := sign(t, "RS256", s.priv, `{"alg":"RS256","kid":"`+s.kid+`",`+tc.member+`}`, p)
					c, err := v.Verify(context.Background(), tok)
					checkOutcome(t, tok, c, err, s.want, "")
					wantCalls := int64(1)
					if s.reject {
						wantCalls = 0 // refused before any key lookup
					}
					if got := src.calls.Load(); got != wantCalls {
						t.Errorf("got %d key source calls, want %d", got, wantCalls)
					}
					if wantCalls == 1 {
						if kid := <-src.kids; kid != s.kid {
							t.Errorf("key source asked for kid %q, want %q", kid, s.kid)
						}
					}
				})
			}
		})
	}
	t.Run("KD1/url-kid", func(t *testing.T) {
		src := newCountingSource(set(key("k1", "RS256", rsaPub())))
		v := newVerifier(t, verifier.Config{Issuer: iss, Keys: src})
		for _, kid := range []string{attacker.URL + "/jwks.json", issuer.URL + "/", "file:///etc/passwd"} {
			tok := signed("RS256", rsaPriv, hdr("RS256", kid), p)(t)
			c, err := v.Verify(context.Background(), tok)
			checkOutcome(t, tok, c, err, errKid, "")
			if got := <-src.kids; got != kid {
				t.Errorf("key source asked for kid %q, want %q verbatim", got, kid)
			}
		}
	})
	if n := attackerHits.Load() + issuerHits.Load(); n != 0 {
		t.Fatalf("got %d outbound requests, want 0", n)
	}
}

// errSource is a KeySource that answers with a fixed result.
type errSource struct {
	key *verifier.Key
	err error
}

func (s errSource) Key(context.Context, string, string) (*verifier.Key, error) { return s.key, s.err }

// C10 (section 2): an unfamiliar kid reaches the key source, verbatim and
// once per Verify, so that a JWKS cache can refetch; what the source answers
// decides the outcome. Tokens refused before the lookup never reach it.
func TestUnknownKidReachesKeySource(t *testing.T) {
	loadKeys()
	p := claims(nil)
	t.Run("C10/unknown-kid", func(t *testing.T) {
		src := newCountingSource(set(key("k1", "RS256", rsaPub())))
		v := newVerifier(t, verifier.Config{Keys: src})
		tok := signed("RS256", rsaPriv, hdr("RS256", "k-new"), p)(t)
		c, err := v.Verify(context.Background(), tok)
		checkOutcome(t, tok, c, err, errKid, "")
		if got := src.calls.Load(); got != 1 {
			t.Errorf("got %d key source calls, want 1", got)
		}
		if kid := <-src.kids; kid != "k-new" {
			t.Errorf("got kid %q, want %q", kid, "k-new")
		}
	})
	t.Run("C10/rotation", func(t *testing.T) {
		// The first lookup misses; the source then learns the key (a
		// refetch): the next Verify succeeds, nothing negative was cached.
		src := &rotatingSource{}
		src.cur.Store(set(key("k1", "RS256", rsaPub())))
		v := newVerifier(t, verifier.Config{Keys: src})
		tok := signed("RS256", rsaPriv2, hdr("RS256", "k2"), p)(t)
		c, err := v.Verify(context.Background(), tok)
		checkOutcome(t, tok, c, err, errKid, "")
		src.cur.Store(set(key("k1", "RS256", rsaPub()), key("k2", "RS256", &rsaKey2.PublicKey)))
		c, err = v.Verify(context.Background(), tok)
		checkOutcome(t, tok, c, err, nil, "")
	})
	tok := rs(p)
	for _, tc := range []struct {
		id     string
		src    errSource
		want   error
		reason string
	}{
		{"C10/not-found", errSource{err: fmt.Errorf("jwks: %w", verifier.ErrKeyNotFound)}, errKid, "unknown_kid"},
		{"C10/unavailable", errSource{err: fmt.Errorf("jwks: never fetched: %w", verifier.ErrKeysUnavailable)}, verifier.ErrKeysUnavailable, "keys_unavailable"},
		{"C10/other-error", errSource{err: errors.New("disk on fire")}, verifier.ErrKeysUnavailable, "keys_unavailable"},
		{"C10/nil-key-nil-error", errSource{}, errKid, "unknown_kid"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			v := newVerifier(t, verifier.Config{Keys: tc.src})
			tk := tok(t)
			var (
				c   *verifier.Claims
				err error
			)
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("Verify panicked: %v", r)
					}
				}()
				c, err = v.Verify(context.Background(), tk)
			}()
			checkOutcome(t, tk, c, err, tc.want, "")
			if got := verifier.Reason(err); got != tc.reason {
				t.Errorf("got Reason %q, want %q", got, tc.reason)
			}
		})
	}
	t.Run("C10/canceled", func(t *testing.T) {
		v := newVerifier(t, verifier.Config{Keys: errSource{err: context.Canceled}})
		c, err := v.Verify(context.Background(), tok(t))
		if c != nil || !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, %v; want nil claims and context.Canceled", c, err)
		}
		if got := verifier.Reason(err); got != "canceled" {
			t.Errorf("got Reason %q, want canceled", got)
		}
	})
	t.Run("C10/refused-before-lookup", func(t *testing.T) {
		src := newCountingSource(set(key("k1", "RS256", rsaPub())))
		v := newVerifier(t, verifier.Config{Keys: src})
		for _, tc := range casesByID(allCases(), "N1", "N2", "B1", "B2", "B3/header", "CR1", "D1", "D2", "D3", "KD3", "KD4", "Z1", "Z2") {
			if tc.cfg != nil || (tc.want != errMalformed && tc.want != errAlg) {
				continue
			}
			tk := tc.tok(t)
			if _, err := v.Verify(context.Background(), tk); err == nil {
				t.Fatalf("%s: accepted", tc.id)
			}
		}
		if got := src.calls.Load(); got != 0 {
			t.Errorf("got %d key source calls, want 0", got)
		}
	})
}

// Reason gives one bounded label per sentinel.
func TestReason(t *testing.T) {
	want := map[error]string{
		nil:                                      "ok",
		verifier.ErrMalformed:                    "malformed",
		verifier.ErrAlgorithm:                    "algorithm",
		verifier.ErrKeyNotFound:                  "unknown_kid",
		verifier.ErrSignature:                    "bad_signature",
		verifier.ErrExpired:                      "expired",
		verifier.ErrNotYetValid:                  "not_yet_valid",
		verifier.ErrIssuer:                       "bad_issuer",
		verifier.ErrAudience:                     "bad_audience",
		verifier.ErrNonce:                        "bad_nonce",
		verifier.ErrMaxAge:                       "max_age",
		verifier.ErrOrganization:                 "bad_organization",
		verifier.ErrAuthorizedParty:              "bad_authorized_party",
		verifier.ErrKeysUnavailable:              "keys_unavailable",
		verifier.ErrTokenType:                    "token_type",
		verifier.ErrMissingClaim:                 "missing_claim",
		verifier.ErrBoundToken:                   "bound_token",
		context.DeadlineExceeded:                 "timeout",
		errors.New("something else"):             "other",
		fmt.Errorf("w: %w", verifier.ErrExpired): "expired",
	}
	for err, label := range want {
		wrapped := err
		if err != nil {
			wrapped = &verifier.ValidationError{Claim: "x", Message: "m", Err: err}
		}
		if got := verifier.Reason(wrapped); got != label {
			t.Errorf("Reason(%v) = %q, want %q", err, got, label)
		}
	}
}
