package dpop_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/dpop"
)

// The clock of every test: proofs are made at now unless a case says
// otherwise.
var now = time.Unix(1_800_000_000, 0)

func clock() time.Time { return now }

const (
	apiURL      = "https://api.example.com/items"
	accessToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl" // any string: dpop only hashes it
)

// Real keys, generated once per test binary.
var (
	keysOnce             sync.Once
	es256, other, ed, rs *authtest.DPoPKey
	es384                *authtest.DPoPKey
)

func keys(t testing.TB) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		for _, k := range []struct {
			dst **authtest.DPoPKey
			alg string
		}{{&es256, "ES256"}, {&other, "ES256"}, {&ed, "EdDSA"}, {&rs, "RS256"}, {&es384, "ES384"}} {
			if *k.dst, err = authtest.NewDPoPKey(k.alg); err != nil {
				panic(err)
			}
		}
	})
}

// newVerifier returns a Verifier on the test clock; adjust changes the
// config first.
func newVerifier(t testing.TB, adjust func(*dpop.Config)) *dpop.Verifier {
	t.Helper()
	cfg := dpop.Config{Now: clock}
	if adjust != nil {
		adjust(&cfg)
	}
	v, err := dpop.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// proof signs a proof with key for GET apiURL bound to accessToken, made
// now, then applies p's non-zero fields.
func proof(t testing.TB, key *authtest.DPoPKey, p authtest.Proof) string {
	t.Helper()
	if p.Method == "" {
		p.Method = "GET"
	}
	if p.URL == "" {
		p.URL = apiURL
	}
	if p.AccessToken == "" {
		p.AccessToken = accessToken
	}
	if p.IssuedAt.IsZero() {
		p.IssuedAt = now
	}
	s, err := key.Proof(p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// request is the resource-server request a proof of proof() is checked
// against: GET apiURL with accessToken bound to key.
func request(key *authtest.DPoPKey) dpop.Request {
	return dpop.Request{Method: "GET", URL: apiURL, AccessToken: accessToken, JKT: key.JKT()}
}

// sentinels lists every sentinel: an error must match its own and no other.
var sentinels = []error{
	dpop.ErrMissing, dpop.ErrMalformed, dpop.ErrType, dpop.ErrAlgorithm, dpop.ErrKey, dpop.ErrSignature,
	dpop.ErrMethod, dpop.ErrURL, dpop.ErrIssuedAt, dpop.ErrTokenHash, dpop.ErrBinding, dpop.ErrNotBound,
	dpop.ErrNonce, dpop.ErrReplay, dpop.ErrStoreFull, dpop.ErrStoreUnavailable,
}

// checkRefusal asserts that err is a *dpop.Error matching want and no
// other sentinel, and that its message holds neither the proof nor the
// token.
func checkRefusal(t testing.TB, err, want error, proof string) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("got error %v, want the proof accepted", err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("got error %v, want %v", err, want)
	}
	var de *dpop.Error
	if !errors.As(err, &de) {
		t.Fatalf("got error of type %T, want *dpop.Error", err)
	}
	for _, s := range sentinels {
		if s != want && errors.Is(err, s) {
			t.Errorf("error %v also matches %v", err, s)
		}
	}
	msg := err.Error()
	for _, secret := range []string{proof, accessToken} {
		if len(secret) > 20 && strings.Contains(msg, secret[:20]) {
			t.Errorf("error message %q holds the proof or the token", msg)
		}
	}
}

var ctx = context.Background()

// header is the JSON of a good proof header for key.
func header(key *authtest.DPoPKey) string {
	b, err := json.Marshal(map[string]any{"typ": "dpop+jwt", "alg": key.Algorithm(), "jwk": key.PublicJWK()})
	if err != nil {
		panic(err)
	}
	return string(b)
}

// signRaw signs the exact header and payload text with an ES256 key, for
// proofs that encoding/json cannot write (duplicate members).
func signRaw(t testing.TB, key *authtest.DPoPKey, header, payload string) string {
	t.Helper()
	enc := base64.RawURLEncoding
	input := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	sum := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, key.Signer().(*ecdsa.PrivateKey), sum[:])
	if err != nil {
		t.Fatal(err)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return input + "." + enc.EncodeToString(sig)
}
