package jwks_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// tenants is one loopback server for many issuers: tenant n is the issuer
// <url>/t<n>/ with its discovery document and a JWKS of its own ES256
// key. It counts every request, by kind.
type tenants struct {
	srv        *httptest.Server
	mu         sync.Mutex
	keys       map[int]*ecdsa.PrivateKey
	discovery  atomic.Int64
	fetches    atomic.Int64
	perTenant  sync.Map // tenant -> *atomic.Int64 (requests)
	failTenant atomic.Int64
}

func newTenants(t testing.TB) *tenants {
	ts := &tenants{keys: map[int]*ecdsa.PrivateKey{}}
	ts.failTenant.Store(-1)
	ts.srv = httptest.NewServer(http.HandlerFunc(ts.serve))
	t.Cleanup(ts.srv.Close)
	return ts
}

func (ts *tenants) iss(n int) string { return fmt.Sprintf("%s/t%d/", ts.srv.URL, n) }

func (ts *tenants) key(n int) *ecdsa.PrivateKey {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	k, ok := ts.keys[n]
	if !ok {
		k, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		ts.keys[n] = k
	}
	return k
}

func (ts *tenants) serve(w http.ResponseWriter, r *http.Request) {
	var n int
	var rest string
	if _, err := fmt.Sscanf(r.URL.Path, "/t%d/", &n); err != nil {
		http.NotFound(w, r)
		return
	}
	c, _ := ts.perTenant.LoadOrStore(n, new(atomic.Int64))
	c.(*atomic.Int64).Add(1)
	rest = strings.TrimPrefix(r.URL.Path, fmt.Sprintf("/t%d", n))
	if int64(n) == ts.failTenant.Load() {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	switch rest {
	case "/.well-known/openid-configuration":
		ts.discovery.Add(1)
		fmt.Fprintf(w, `{"issuer":%q,"jwks_uri":%q}`, ts.iss(n), ts.iss(n)+"jwks")
	case "/jwks":
		ts.fetches.Add(1)
		w.Write([]byte(doc(ecJWK(fmt.Sprintf("k%d", n), &ts.key(n).PublicKey))))
	default:
		http.NotFound(w, r)
	}
}

func (ts *tenants) requests(n int) int64 {
	c, ok := ts.perTenant.Load(n)
	if !ok {
		return 0
	}
	return c.(*atomic.Int64).Load()
}

// token is a token of tenant iss signed by tenant signer's key and kid.
func (ts *tenants) token(t testing.TB, iss, signer int) string {
	return sign(t, "ES256", ts.key(signer), hdr("ES256", fmt.Sprintf("k%d", signer)), claims(ts.iss(iss)))
}

// hostAllow allows, for a request to host "t<n>.api.example", the issuer
// of tenant n only; without request facts, nothing.
func (ts *tenants) hostAllow(ctx context.Context, iss string) (bool, error) {
	req, ok := verifier.RequestFromContext(ctx)
	if !ok {
		return false, nil
	}
	var n int
	if _, err := fmt.Sscanf(req.Host, "t%d.api.example", &n); err != nil {
		return false, nil
	}
	return iss == ts.iss(n), nil
}

func forHost(host string) context.Context {
	return verifier.ContextWithRequest(context.Background(), verifier.Request{Host: host, Path: "/items"})
}

func newResolverVerifier(t testing.TB, r verifier.IssuerResolver) *verifier.Verifier {
	t.Helper()
	v, err := verifier.New(verifier.Config{Resolver: r, Audience: []string{testAud}, Algorithms: []string{"ES256"},
		Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func newIssuers(t testing.TB, cfg jwks.IssuersConfig) *jwks.Issuers {
	t.Helper()
	r, err := jwks.NewIssuers(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// TestIssuerResolver: the refusals of a verifier whose issuers are looked
// up per request (SECURITY.md IR1..IR5).
func TestIssuerResolver(t *testing.T) {
	ts := newTenants(t)
	r := newIssuers(t, jwks.IssuersConfig{Allow: ts.hostAllow})
	v := newResolverVerifier(t, r)

	t.Run("ok", func(t *testing.T) {
		if _, err := v.Verify(forHost("t1.api.example"), ts.token(t, 1, 1)); err != nil {
			t.Fatalf("tenant 1 at its host: got %v, want accepted", err)
		}
	})
	t.Run("IR1/unknown-issuer-no-fetch", func(t *testing.T) {
		for _, tc := range []struct{ name, host, tok string }{
			{"another tenant's host", "t2.api.example", ts.token(t, 3, 3)},
			{"no tenant host", "api.example", ts.token(t, 4, 4)},
			{"foreign issuer", "t5.api.example", sign(t, "ES256", ts.key(5), hdr("ES256", "k5"), claims("https://evil.example/"))},
		} {
			before := ts.discovery.Load() + ts.fetches.Load()
			_, err := v.Verify(forHost(tc.host), tc.tok)
			if !errors.Is(err, verifier.ErrIssuer) {
				t.Errorf("%s: got %v, want ErrIssuer", tc.name, err)
			}
			if n := ts.discovery.Load() + ts.fetches.Load() - before; n != 0 {
				t.Errorf("%s: %d requests to the tenants, want none", tc.name, n)
			}
		}
		if _, err := v.Verify(context.Background(), ts.token(t, 1, 1)); !errors.Is(err, verifier.ErrIssuer) {
			t.Errorf("no request facts: got %v, want ErrIssuer", err)
		}
	})
	t.Run("IR2/cross-issuer-keys", func(t *testing.T) {
		// Claims tenant 6, signed by tenant 7's key under its kid, at
		// tenant 6's host: tenant 6's keys do not have it.
		_, err := v.Verify(forHost("t6.api.example"), ts.token(t, 6, 7))
		if !errors.Is(err, verifier.ErrKeyNotFound) {
			t.Errorf("iss 6 signed by 7: got %v, want ErrKeyNotFound", err)
		}
		if n := ts.requests(7); n != 0 {
			t.Errorf("tenant 7 got %d requests, want none (its keys are never used for another)", n)
		}
		// Tenant 6's kid on tenant 7's key: a bad signature, not a key of
		// another issuer.
		forged := sign(t, "ES256", ts.key(7), hdr("ES256", "k6"), claims(ts.iss(6)))
		if _, err := v.Verify(forHost("t6.api.example"), forged); !errors.Is(err, verifier.ErrSignature) {
			t.Errorf("kid of 6, key of 7: got %v, want ErrSignature", err)
		}
	})
	t.Run("IR3/cache-hit-other-host", func(t *testing.T) {
		tok := ts.token(t, 8, 8)
		if _, err := v.Verify(forHost("t8.api.example"), tok); err != nil {
			t.Fatal(err)
		}
		hits := v.Stats().CacheHits
		if _, err := v.Verify(forHost("t9.api.example"), tok); !errors.Is(err, verifier.ErrIssuer) {
			t.Errorf("a cached token of tenant 8 at tenant 9's host: got %v, want ErrIssuer", err)
		}
		if _, err := v.Verify(forHost("t8.api.example"), tok); err != nil {
			t.Errorf("again at its own host: got %v, want accepted", err)
		}
		_ = hits
	})
	t.Run("IR4/allow-error-is-unavailable", func(t *testing.T) {
		for name, allow := range map[string]func(context.Context, string) (bool, error){
			"error": func(context.Context, string) (bool, error) { return false, errors.New("tenant directory down") },
			"panic": func(context.Context, string) (bool, error) { panic("allow bug") },
		} {
			rv := newResolverVerifier(t, newIssuers(t, jwks.IssuersConfig{Allow: allow}))
			if _, err := rv.Verify(forHost("t1.api.example"), ts.token(t, 1, 1)); !errors.Is(err, verifier.ErrKeysUnavailable) {
				t.Errorf("%s: got %v, want ErrKeysUnavailable", name, err)
			}
		}
	})
	t.Run("IR4/discovery-failure-is-unavailable", func(t *testing.T) {
		ts.failTenant.Store(10)
		defer ts.failTenant.Store(-1)
		for i := range 3 {
			if _, err := v.Verify(forHost("t10.api.example"), ts.token(t, 10, 10)); !errors.Is(err, verifier.ErrKeysUnavailable) {
				t.Errorf("try %d: got %v, want ErrKeysUnavailable", i, err)
			}
		}
		if n := ts.requests(10); n != 1 {
			t.Errorf("tenant 10 got %d requests, want 1 (no retry before the cooldown)", n)
		}
	})
}

// TestIR4ResolverErrorIs503: through the middleware, a failing allow list
// answers 503 with Retry-After, an issuer not allowed 401.
func TestIR4ResolverErrorIs503(t *testing.T) {
	ts := newTenants(t)
	down := atomic.Bool{}
	r := newIssuers(t, jwks.IssuersConfig{Allow: func(ctx context.Context, iss string) (bool, error) {
		if down.Load() {
			return false, errors.New("tenant directory down")
		}
		return ts.hostAllow(ctx, iss)
	}})
	h := middleware.Authenticate(newResolverVerifier(t, r))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for _, tc := range []struct {
		name   string
		host   string
		tok    string
		down   bool
		status int
	}{
		{"allowed", "t1.api.example:8443", ts.token(t, 1, 1), false, 200},
		{"not allowed", "t2.api.example", ts.token(t, 1, 1), false, 401},
		{"allow list down", "t1.api.example", ts.token(t, 1, 1), true, 503},
		{"allow list down, new token", "t3.api.example", ts.token(t, 3, 3), true, 503},
	} {
		t.Run(tc.name, func(t *testing.T) {
			down.Store(tc.down)
			req := httptest.NewRequest(http.MethodGet, "/items", nil)
			req.Host = tc.host
			req.Header.Set("Authorization", "Bearer "+tc.tok)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tc.status {
				t.Fatalf("status: got %d, want %d", w.Code, tc.status)
			}
			if tc.status == 503 && w.Header().Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
		})
	}
}

// TestIR5ThousandTenants: 1,000 tenants verified under load by 8
// goroutines, each tenant's token several times: every verification
// passes, and the open key sets never exceed MaxIssuers (sampled all the
// time), evicted issuers being closed.
func TestIR5ThousandTenants(t *testing.T) {
	const tenantsN, max, workers = 1000, 32, 8
	ts := newTenants(t)
	r := newIssuers(t, jwks.IssuersConfig{Allow: ts.hostAllow, MaxIssuers: max})
	v := newResolverVerifier(t, r)
	toks := make([]string, tenantsN)
	for i := range toks {
		toks[i] = ts.token(t, i, i)
	}
	var peak atomic.Int64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			if n := int64(r.Stats().KeySets); n > peak.Load() {
				peak.Store(n)
			}
			select {
			case <-stop:
				return
			default:
				time.Sleep(50 * time.Microsecond)
			}
		}
	}()
	var next atomic.Int64
	var failures atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= 3*tenantsN {
					return
				}
				n := i % tenantsN
				if _, err := v.Verify(forHost(fmt.Sprintf("t%d.api.example", n)), toks[n]); err != nil {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprintf("tenant %d: %v", n, err))
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-sampled
	if n := failures.Load(); n != 0 {
		t.Fatalf("%d verifications failed, want 0; first: %v", n, firstErr.Load())
	}
	st := r.Stats()
	if p := peak.Load(); p > max || st.KeySets > max || st.Issuers > max {
		t.Errorf("open key sets: peak %d, now %d (issuers %d), want at most %d", p, st.KeySets, st.Issuers, max)
	}
	if st.Evictions < tenantsN-max || st.Discoveries < tenantsN {
		t.Errorf("got %d evictions and %d discoveries, want at least %d and %d", st.Evictions, st.Discoveries, tenantsN-max, tenantsN)
	}
	t.Logf("peak open key sets %d of %d; %d discoveries, %d JWKS fetches, %d evictions", peak.Load(), max, ts.discovery.Load(), ts.fetches.Load(), st.Evictions)
	if err := r.Close(); err != nil || r.Stats().KeySets != 0 {
		t.Errorf("after Close: %v, %d key sets open; want none", err, r.Stats().KeySets)
	}
}

// TestIR6ConfigErrors: a resolver takes the place of Issuer, Keys and
// Issuers; an Issuers needs an allow list and no URL.
func TestIR6ConfigErrors(t *testing.T) {
	ts := newTenants(t)
	r := newIssuers(t, jwks.IssuersConfig{Allow: ts.hostAllow})
	keys, _ := verifier.NewKeySet()
	for name, cfg := range map[string]verifier.Config{
		"resolver and issuer": {Resolver: r, Issuer: testIss, Audience: []string{testAud}},
		"resolver and keys":   {Resolver: r, Keys: keys, Audience: []string{testAud}},
		"resolver and issuers": {Resolver: r, Audience: []string{testAud},
			Issuers: []verifier.Issuer{{Issuer: testIss, Keys: keys}}},
	} {
		if _, err := verifier.New(cfg); !errors.Is(err, verifier.ErrConfig) {
			t.Errorf("%s: got %v, want ErrConfig", name, err)
		}
	}
	for name, cfg := range map[string]jwks.IssuersConfig{
		"no allow list":    {},
		"negative maximum": {Allow: ts.hostAllow, MaxIssuers: -1},
		"a URL":            {Allow: ts.hostAllow, Cache: jwks.Config{URL: ts.srv.URL}},
	} {
		if _, err := jwks.NewIssuers(cfg); !errors.Is(err, jwks.ErrConfig) {
			t.Errorf("%s: got %v, want ErrConfig", name, err)
		}
	}
}
