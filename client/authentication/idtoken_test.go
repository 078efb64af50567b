package authentication

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"
	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/verifier"
)

// mintIDToken signs claims with the test RSA key under kid "k1".
func mintIDToken(t *testing.T, claims map[string]any) string {
	t.Helper()
	payload, _ := json.Marshal(claims)
	h := jws.NewHeaders()
	h.Set(jws.KeyIDKey, "k1")
	h.Set(jws.TypeKey, "JWT")
	tok, err := jws.Sign(payload, jws.WithKey(jwa.RS256(), testRSAKey(t), jws.WithProtectedHeaders(h)))
	if err != nil {
		t.Fatal(err)
	}
	return string(tok)
}

// idVerifier verifies ID tokens of issuer iss for client "cid".
func idVerifier(t *testing.T, iss string) *verifier.Verifier {
	t.Helper()
	k, err := verifier.NewKey("k1", "RS256", testRSAKey(t).Public())
	if err != nil {
		t.Fatal(err)
	}
	ks, err := verifier.NewKeySet(k)
	if err != nil {
		t.Fatal(err)
	}
	v, err := verifier.New(verifier.Config{Issuer: iss, Audience: []string{"cid"}, Keys: ks, Kind: verifier.IDToken})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestIDTokenVerification(t *testing.T) {
	now := time.Now().Unix()
	const iss = "https://tenant.auth0.com/"
	good := map[string]any{"iss": iss, "sub": "auth0|1", "aud": "cid", "iat": now, "exp": now + 600, "nonce": "n-1"}
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range good {
			m[kk] = vv
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	goodTok := mintIDToken(t, good)
	tampered := goodTok[:len(goodTok)-4] + "AAAA"
	if tampered == goodTok {
		tampered = goodTok[:len(goodTok)-4] + "BBBB"
	}
	cases := []struct {
		name     string
		idToken  string
		checks   []verifier.Option
		wantErr  error
		wantNoID bool
	}{
		{"valid", goodTok, nil, nil, false},
		{"valid with nonce", goodTok, []verifier.Option{verifier.WithNonce("n-1")}, nil, false},
		{"no ID token in the answer", "", nil, nil, true},
		{"wrong nonce", goodTok, []verifier.Option{verifier.WithNonce("other")}, verifier.ErrNonce, false},
		{"wrong audience", mintIDToken(t, with("aud", "someone-else")), nil, verifier.ErrAudience, false},
		{"wrong issuer", mintIDToken(t, with("iss", "https://evil/")), nil, verifier.ErrIssuer, false},
		{"expired", mintIDToken(t, with("exp", now-10)), nil, verifier.ErrExpired, false},
		{"bad signature", tampered, nil, verifier.ErrSignature, false},
		{"not a JWT", "garbage", nil, verifier.ErrMalformed, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			answer := fmt.Sprintf(`{"access_token":"at","id_token":%q,"token_type":"Bearer","expires_in":60}`, tc.idToken)
			srv := newServer(t, jsonReply(200, answer))
			c := newTestClient(t, srv.URL, Config{ClientID: "cid", ClientSecret: "s", IDTokenVerifier: idVerifier(t, iss)})
			calls := map[string]func() (*TokenResponse, error){
				"AuthorizationCode": func() (*TokenResponse, error) {
					return c.AuthorizationCode(context.Background(), AuthorizationCodeRequest{Code: "c", IDTokenChecks: tc.checks})
				},
				"RefreshToken": func() (*TokenResponse, error) {
					return c.RefreshToken(context.Background(), RefreshTokenRequest{RefreshToken: "r", IDTokenChecks: tc.checks})
				},
				"SocialLogin": func() (*TokenResponse, error) {
					return c.SocialLogin(context.Background(), SocialLoginRequest{AccessToken: "a", Connection: "facebook", IDTokenChecks: tc.checks})
				},
				"MFAVerifyOTP": func() (*TokenResponse, error) {
					return c.MFAVerifyOTP(context.Background(), "m", "123456", tc.checks...)
				},
			}
			for name, call := range calls {
				got, err := call()
				if tc.wantErr != nil {
					if !errors.Is(err, ErrIDToken) || !errors.Is(err, tc.wantErr) {
						t.Errorf("%s: got %v, want ErrIDToken and %v", name, err, tc.wantErr)
					}
					if got != nil {
						t.Errorf("%s: got tokens %v with a failed ID token, want nil", name, got)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if tc.wantNoID {
					if got.IDTokenClaims != nil {
						t.Errorf("%s: got claims without an ID token", name)
					}
					continue
				}
				if got.IDTokenClaims == nil || got.IDTokenClaims.Subject != "auth0|1" {
					t.Errorf("%s: IDTokenClaims: got %+v, want sub auth0|1", name, got.IDTokenClaims)
				}
			}
			t.Run("Delegation", func(t *testing.T) {
				got, err := c.Delegation(context.Background(), DelegationRequest{Target: "cid", APIType: "app", GrantType: "g", IDToken: "x", IDTokenChecks: tc.checks})
				if tc.wantErr != nil {
					if !errors.Is(err, tc.wantErr) || got != nil {
						t.Errorf("got %v, %v; want nil, %v", got, err, tc.wantErr)
					}
				} else if err != nil {
					t.Errorf("got %v, want nil", err)
				}
			})
		})
	}
}

func TestNoVerifierLeavesIDTokenUnchecked(t *testing.T) {
	srv := newServer(t, jsonReply(200, `{"access_token":"at","token_type":"Bearer","id_token":"not-even-a-jwt","expires_in":60}`))
	now := time.Unix(1_700_000_000, 0)
	c := newTestClient(t, srv.URL, Config{ClientID: "cid", HTTP: client.Config{Now: func() time.Time { return now }}})
	got, err := c.RefreshToken(context.Background(), RefreshTokenRequest{RefreshToken: "r"})
	if err != nil {
		t.Fatal(err)
	}
	if got.IDToken != "not-even-a-jwt" || got.IDTokenClaims != nil {
		t.Errorf("got %q with claims %v, want the raw token and no claims", got.IDToken, got.IDTokenClaims)
	}
	if want := now.Add(time.Minute); !got.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt: got %v, want %v", got.ExpiresAt, want)
	}
}
