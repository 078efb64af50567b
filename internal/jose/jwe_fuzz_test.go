package jose

import (
	"testing"
)

// FuzzParseJWEHeader: the JWE header parser never panics, and what it
// accepts is a known alg and enc with a JWT cty, and no member it refuses.
func FuzzParseJWEHeader(f *testing.F) {
	for _, s := range []string{
		`{"alg":"RSA-OAEP-256","enc":"A256GCM","cty":"JWT","kid":"k"}`,
		`{"alg":"ECDH-ES","enc":"A128GCM","cty":"at+jwt","epk":{"kty":"EC","crv":"P-256","x":"AA","y":"AA"},"apu":"QUJD"}`,
		`{"alg":"PBES2-HS256+A128KW","enc":"A256GCM","cty":"JWT","p2c":99999999999}`,
		`{"alg":"RSA-OAEP-256","enc":"A256GCM","cty":"JWT","zip":"DEF"}`,
		`{"alg":"RSA-OAEP-256","enc":"A256GCM","cty":"JWT","alg":"dir"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ParseJWEHeader(data)
		if err != nil {
			return
		}
		if h.Alg == 0 || h.Enc == 0 || h.Alg.String() != string(h.AlgRaw) || h.Enc.String() != string(h.EncRaw) {
			t.Fatalf("accepted %q with alg %v enc %v", data, h.Alg, h.Enc)
		}
		if len(h.APU) > MaxPartyInfo || len(h.APV) > MaxPartyInfo || len(h.Kid) > MaxKid {
			t.Fatalf("accepted %q with oversized members", data)
		}
	})
}

// FuzzSplitJWE: SplitJWE never panics and its dots are in order, inside
// the token, with no segment of an impossible length.
func FuzzSplitJWE(f *testing.F) {
	f.Add("a.b.c.d.e")
	f.Add("aaaa..bbbb.cccc.dddd")
	f.Add("....")
	f.Fuzz(func(t *testing.T, tok string) {
		d, err := SplitJWE(tok)
		if err != nil {
			return
		}
		prev := -1
		for _, x := range d {
			if x <= prev || x >= len(tok) || tok[x] != '.' {
				t.Fatalf("dots %v of %q", d, tok)
			}
			prev = x
		}
	})
}
