package jwks_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"hash"
	"math/big"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/verifier"
)

// Test keys, generated once per test binary.
var (
	keysOnce sync.Once
	rsaKey   *rsa.PrivateKey
	rsaKey2  *rsa.PrivateKey
	ecKey    *ecdsa.PrivateKey
	ec384Key *ecdsa.PrivateKey
	ec521Key *ecdsa.PrivateKey
	edKey    ed25519.PrivateKey
	hmacKey  = []byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	testNow  = time.Unix(1_800_000_000, 0)
	testIss  = "https://idp.example.com/"
	testAud  = "api"
)

func loadKeys() {
	keysOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if rsaKey2, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		ecKey, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		ec384Key, _ = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		ec521Key, _ = ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
		_, edKey, _ = ed25519.GenerateKey(rand.Reader)
	})
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// JWK builders. Each returns a fresh map the caller may change.

func rsaJWK(kid string, pub *rsa.PublicKey) map[string]any {
	return map[string]any{"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
		"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes())}
}

func ecJWK(kid string, pub *ecdsa.PublicKey) map[string]any {
	size := (pub.Curve.Params().BitSize + 7) / 8
	pt, err := pub.Bytes() // 0x04 || x || y
	if err != nil {
		panic(err)
	}
	x, y := pt[1:1+size], pt[1+size:]
	return map[string]any{"kty": "EC", "kid": kid, "use": "sig", "crv": pub.Curve.Params().Name, "x": b64(x), "y": b64(y)}
}

func okpJWK(kid string, pub ed25519.PublicKey) map[string]any {
	return map[string]any{"kty": "OKP", "kid": kid, "crv": "Ed25519", "x": b64(pub)}
}

func octJWK(kid, alg string, secret []byte) map[string]any {
	return map[string]any{"kty": "oct", "kid": kid, "alg": alg, "k": b64(secret)}
}

// with returns a copy of m with the members kv (name, value pairs) set; a
// nil value removes the member.
func with(m map[string]any, kv ...any) map[string]any {
	c := make(map[string]any, len(m)+len(kv)/2)
	for k, v := range m {
		c[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(c, kv[i].(string))
			continue
		}
		c[kv[i].(string)] = kv[i+1]
	}
	return c
}

// doc returns a JWKS document holding keys (maps or raw JSON strings).
func doc(keys ...any) string {
	parts := make([]json.RawMessage, len(keys))
	for i, k := range keys {
		if s, ok := k.(string); ok {
			parts[i] = json.RawMessage(s)
			continue
		}
		parts[i] = json.RawMessage(mustJSON(k))
	}
	return mustJSON(map[string]any{"keys": parts})
}

// Token minting, after verifier/helpers_test.go.

func sign(t testing.TB, alg string, key any, header, payload string) string {
	t.Helper()
	input := b64([]byte(header)) + "." + b64([]byte(payload))
	return input + "." + b64(signature(t, alg, key, []byte(input)))
}

func hashFor(alg string) (crypto.Hash, func() hash.Hash) {
	switch alg[2:] {
	case "384":
		return crypto.SHA384, sha512.New384
	case "512":
		return crypto.SHA512, sha512.New
	}
	return crypto.SHA256, sha256.New
}

func signature(t testing.TB, alg string, key any, input []byte) []byte {
	t.Helper()
	if alg == "EdDSA" || alg == "Ed25519" {
		return ed25519.Sign(key.(ed25519.PrivateKey), input)
	}
	h, newHash := hashFor(alg)
	d := newHash()
	d.Write(input)
	digest := d.Sum(nil)
	switch alg[:2] {
	case "RS":
		s, err := rsa.SignPKCS1v15(rand.Reader, key.(*rsa.PrivateKey), h, digest)
		if err != nil {
			t.Fatal(err)
		}
		return s
	case "PS":
		s, err := rsa.SignPSS(rand.Reader, key.(*rsa.PrivateKey), h, digest, &rsa.PSSOptions{SaltLength: h.Size()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	case "ES":
		k := key.(*ecdsa.PrivateKey)
		r, s, err := ecdsa.Sign(rand.Reader, k, digest)
		if err != nil {
			t.Fatal(err)
		}
		size := (k.Curve.Params().BitSize + 7) / 8
		out := make([]byte, 2*size)
		r.FillBytes(out[:size])
		s.FillBytes(out[size:])
		return out
	case "HS":
		m := hmac.New(newHash, key.([]byte))
		m.Write(input)
		return m.Sum(nil)
	}
	t.Fatalf("unknown alg %s", alg)
	return nil
}

// claims returns a valid access-token payload at testNow for issuer iss.
func claims(iss string) string {
	return mustJSON(map[string]any{
		"iss": iss, "sub": "auth0|alice", "aud": testAud,
		"iat": testNow.Add(-time.Minute).Unix(), "exp": testNow.Add(time.Hour).Unix(),
	})
}

func hdr(alg, kid string) string {
	h := map[string]string{"alg": alg, "typ": "JWT"}
	if kid != "" {
		h["kid"] = kid
	}
	return mustJSON(h)
}

// rsaToken is an RS256 access token for testIss signed by key under kid.
func rsaToken(t testing.TB, key *rsa.PrivateKey, kid string) string {
	return sign(t, "RS256", key, hdr("RS256", kid), claims(testIss))
}

// newVerifier returns an RS256 verifier of testIss/testAud over keys,
// whose clock is testNow.
func newVerifier(t testing.TB, keys verifier.KeySource) *verifier.Verifier {
	t.Helper()
	v, err := verifier.New(verifier.Config{Issuer: testIss, Audience: []string{testAud}, Keys: keys,
		Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// fakeClock is a clock that moves only when told: its Now is a
// Config.Now, its After the refresh loop's timer (NewWithTimer).
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: testNow} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, fakeWaiter{c.now.Add(d), ch})
	return ch
}

// waiting is the number of timers not fired yet.
func (c *fakeClock) waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters)
}

// Advance moves the clock and fires the timers that fall due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at.After(c.now) {
			kept = append(kept, w)
			continue
		}
		w.ch <- c.now
	}
	c.waiters = kept
}

// jwksServer is an httptest JWKS endpoint with a request counter, a
// settable body and status, and an optional handler override.
type jwksServer struct {
	*httptest.Server
	requests atomic.Int64

	mu      sync.Mutex
	body    string
	status  int
	header  http.Header
	handler http.HandlerFunc
}

func newJWKSServer(t testing.TB, body string) *jwksServer {
	s := &jwksServer{body: body, status: http.StatusOK, header: http.Header{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) serve(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	s.mu.Lock()
	body, status, h, handler := s.body, s.status, s.header.Clone(), s.handler
	s.mu.Unlock()
	if handler != nil {
		handler(w, r)
		return
	}
	for k, v := range h {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// set changes what the server answers.
func (s *jwksServer) set(status int, body string, header ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status, s.body, s.header, s.handler = status, body, http.Header{}, nil
	for i := 0; i+1 < len(header); i += 2 {
		s.header.Set(header[i], header[i+1])
	}
}

func (s *jwksServer) setHandler(h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handler = h
}

func (s *jwksServer) count() int64 { return s.requests.Load() }

// newCache starts a Cache on srv with a fake clock (Now and the refresh
// loop's timer) and a prefetch, closed at the end of the test.
func newCache(t testing.TB, url string, clock *fakeClock, mod func(*jwks.Config)) *jwks.Cache {
	t.Helper()
	cfg := jwks.Config{URL: url, Now: clock.Now, Prefetch: 5 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	c, err := jwks.NewWithTimer(cfg, clock.After)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	if cfg.Prefetch > 0 {
		// The first fetch succeeded; its refresh timer is set by the
		// cache's goroutine. A test that advances the clock before that
		// would move time past a timer that does not exist yet, and the
		// refresh would never come (TestF6_TLSError hung so in CI).
		waitFor(t, "the refresh timer of the first fetch", func() bool { return clock.waiting() > 0 })
	}
	return c
}

// waitFor polls cond until it holds or 5 s pass.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	// A bound on a hang, not a timing assertion: a background fetch under
	// go test -race on a loaded 2-core machine has taken over 5 s.
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// lookup is c.Key with a background context and a 5 s bound.
func lookup(c verifier.KeySource, kid, alg string) (*verifier.Key, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.Key(ctx, kid, alg)
}

// recorder is an Observer that keeps every event.
type recorder struct {
	mu      sync.Mutex
	fetches []jwks.FetchEvent
	misses  []jwks.KidMissEvent
}

func (r *recorder) ObserveFetch(_ context.Context, e jwks.FetchEvent) {
	r.mu.Lock()
	r.fetches = append(r.fetches, e)
	r.mu.Unlock()
}

func (r *recorder) ObserveKidMiss(_ context.Context, e jwks.KidMissEvent) {
	r.mu.Lock()
	r.misses = append(r.misses, e)
	r.mu.Unlock()
}

func (r *recorder) outcomes() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.fetches {
		out = append(out, e.Outcome)
	}
	return out
}

type (
	rsaPublicKey     = rsa.PublicKey
	ecdsaPublicKey   = ecdsa.PublicKey
	ed25519PublicKey = ed25519.PublicKey
)

func mustURL(s string) *neturl.URL {
	u, err := neturl.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// retired reports whether k has been retired, as verifiers see it: a
// token k verified (tok, signed under k's kid) is no longer answered from
// the verified-token cache, so a second Verify asks the key source again.
func retired(t testing.TB, k *verifier.Key, tok string) bool {
	t.Helper()
	src := &countingSource{k: k}
	v := newVerifier(t, src)
	for range 2 {
		if _, err := v.Verify(context.Background(), tok); err != nil {
			t.Fatalf("verifying a token of %q: %v", k.ID(), err)
		}
	}
	return src.calls.Load() == 2
}

// countingSource serves one key and counts the lookups.
type countingSource struct {
	k     *verifier.Key
	calls atomic.Int64
}

func (s *countingSource) Key(context.Context, string, string) (*verifier.Key, error) {
	s.calls.Add(1)
	return s.k, nil
}
