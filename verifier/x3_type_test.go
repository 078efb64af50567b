package verifier_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// TestX3VerifySignatureType (SECURITY.md X3, RFC 8725 section 3.11):
// VerifySignature applies the typ rules of the verifier (Config.Types and
// the token kind) exactly as Verify does, so a token of a type the verifier
// refuses never yields a payload.
func TestX3VerifySignatureType(t *testing.T) {
	loadKeys()
	withTyp := func(typ string) string {
		h := `{"alg":"RS256","kid":"k1"}`
		if typ != "" {
			h = `{"alg":"RS256","kid":"k1","typ":"` + typ + `"}`
		}
		return sign(t, "RS256", rsaKey, h, claims(nil))
	}
	atOnly := verifier.Config{Types: []string{"at+jwt"}}
	idToken := verifier.Config{Kind: verifier.IDToken, ClientID: "client-1"}
	tests := []struct {
		name string
		cfg  verifier.Config
		typ  string
		want error
	}{
		{"access/JWT", verifier.Config{}, "JWT", nil},
		{"access/at+jwt", verifier.Config{}, "at+jwt", nil},
		{"access/absent", verifier.Config{}, "", nil},
		{"access/dpop+jwt", verifier.Config{}, "dpop+jwt", verifier.ErrTokenType},
		{"access/logout+jwt", verifier.Config{}, "logout+jwt", verifier.ErrTokenType},
		{"id/at+jwt", idToken, "at+jwt", verifier.ErrTokenType},
		{"id/application/at+jwt", idToken, "application/at+jwt", verifier.ErrTokenType},
		{"id/JWT", idToken, "JWT", nil},
		{"types/at+jwt", atOnly, "at+jwt", nil},
		{"types/application/AT+JWT", atOnly, "application/AT+JWT", nil},
		{"types/JWT", atOnly, "JWT", verifier.ErrTokenType},
		{"types/absent", atOnly, "", verifier.ErrTokenType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newVerifier(t, tt.cfg)
			tok := withTyp(tt.typ)
			_, verr := v.Verify(context.Background(), tok)
			if !errors.Is(verr, verifier.ErrTokenType) != (tt.want == nil) {
				t.Fatalf("Verify: got %v, want %v (the table is wrong)", verr, tt.want)
			}
			p, err := v.VerifySignature(context.Background(), tok)
			if tt.want == nil {
				if err != nil || p == nil {
					t.Fatalf("VerifySignature: got %v, want the payload", err)
				}
				return
			}
			if p != nil || !errors.Is(err, tt.want) {
				t.Fatalf("VerifySignature: got payload %v and %v, want no payload and %v", p != nil, err, tt.want)
			}
			var ve *verifier.ValidationError
			if !errors.As(err, &ve) || ve.Claim != "typ" {
				t.Errorf("VerifySignature: got %#v, want a *ValidationError for typ", err)
			}
		})
	}
}
