package grpcauth

import (
	"errors"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/middleware"
)

// FuzzGR10Metadata: the authorization metadata parser never panics; a token
// is returned exactly when the one value is the scheme (any case), one
// space and a token without spaces; every error is invalid_request and
// never holds the value; two values are always refused.
func FuzzGR10Metadata(f *testing.F) {
	for _, s := range []string{"Bearer abc.def.ghi", "bearer x", "DPoP x", "dpop  x", "Bearer", "Bearer ", "Basic x",
		"Bearers x", "Bearer a b", "Bearer\tx", "", "DPoP", "DPoP,x", "Bearer é"} {
		f.Add(s, false, false)
		f.Add(s, true, true)
	}
	f.Fuzz(func(t *testing.T, v string, dpopOn, twice bool) {
		values := []string{v}
		if twice {
			values = append(values, v)
		}
		tok, isDPoP, err := readAuthorization(values, dpopOn)
		if twice {
			if err != errTwoAuthorization || tok != "" {
				t.Fatalf("two values: got %q, %v, want the ambiguity error", tok, err)
			}
			return
		}
		if isDPoP && !dpopOn {
			t.Fatalf("%q: DPoP scheme reported with DPoP off", v)
		}
		if err != nil {
			if !errors.Is(err, middleware.ErrInvalidRequest) || tok != "" {
				t.Fatalf("%q: got %q, %v, want no token and an invalid_request error", v, tok, err)
			}
			if len(v) > 8 && strings.Contains(err.Error(), v[len(v)/2:]) {
				t.Fatalf("%q: error %q holds the value", v, err)
			}
			return
		}
		if tok == "" {
			return // no value of the scheme: no token
		}
		scheme := "Bearer"
		if isDPoP {
			scheme = "DPoP"
		}
		if !strings.EqualFold(v[:len(scheme)], scheme) || v[len(scheme)] != ' ' || v[len(scheme)+1:] != tok || strings.ContainsRune(tok, ' ') {
			t.Fatalf("%q: got token %q (scheme %s), which is not what follows the scheme and one space", v, tok, scheme)
		}
		p, err := readProof([]string{v, v})
		if p != "" || err != errTwoProofs {
			t.Fatalf("two proofs: got %q, %v", p, err)
		}
	})
}
