package jwks

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/internal/httpx"
	"github.com/tokengate/tokengate/verifier"
)

// TestDefaultClient: the package's own client ignores proxies from the
// environment (F13), verifies TLS 1.2+, has the total timeout, and limits
// redirects.
func TestDefaultClient(t *testing.T) {
	c, tr, err := httpClient(nil, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if tr == nil || c.Transport != tr {
		t.Fatalf("transport: got %T, want the package's own", c.Transport)
	}
	if tr.Proxy != nil {
		t.Fatalf("Proxy: got a proxy function, want nil (environment ignored)")
	}
	if tr.TLSClientConfig.InsecureSkipVerify || tr.TLSClientConfig.MinVersion != tls.VersionTLS12 {
		t.Fatalf("TLS: got %+v, want verification and TLS 1.2+", tr.TLSClientConfig)
	}
	if c.Timeout != 5*time.Second || c.CheckRedirect == nil {
		t.Fatalf("client: got timeout %v, redirect check %v; want 5s and a check", c.Timeout, c.CheckRedirect != nil)
	}
}

// TestCallerClient: a caller's client is not changed; the copy uses its
// transport behind the TLS check, the redirect policy and a timeout.
func TestCallerClient(t *testing.T) {
	called := false
	hc := &http.Client{Transport: &http.Transport{}, CheckRedirect: func(*http.Request, []*http.Request) error {
		called = true
		return nil
	}}
	c, tr, err := httpClient(hc, 5*time.Second)
	if err != nil || tr != nil || c == hc {
		t.Fatalf("got %p (own transport %v), %v; want a copy", c, tr != nil, err)
	}
	if v, ok := c.Transport.(verifiedTLS); !ok || v.Unwrap() != hc.Transport {
		t.Fatalf("transport: got %T, want the caller's wrapped in verifiedTLS", c.Transport)
	}
	if hc.Timeout != 0 || c.Timeout != 5*time.Second {
		t.Fatalf("timeouts: caller %v, copy %v; want 0 and 5s", hc.Timeout, c.Timeout)
	}
	req := func(s string) *http.Request { u, _ := url.Parse(s); return &http.Request{URL: u} }
	via := []*http.Request{req("https://idp.example.com/jwks")}
	if err := c.CheckRedirect(req("https://other.example.com/jwks"), via); !errors.Is(err, ErrRedirect) || called {
		t.Fatalf("cross-origin redirect: got %v (caller's check called %v), want ErrRedirect first", err, called)
	}
	if err := c.CheckRedirect(req("https://IDP.example.com/keys"), via); err != nil || !called {
		t.Fatalf("same-origin redirect: got %v (caller's check called %v), want allowed and the caller's check run", err, called)
	}
	if err := c.CheckRedirect(req("http://idp.example.com/keys"), via); !errors.Is(err, ErrRedirect) {
		t.Fatalf("redirect to http: got %v, want ErrRedirect", err)
	}
	if err := c.CheckRedirect(req("https://idp.example.com:8443/keys"), via); !errors.Is(err, ErrRedirect) {
		t.Fatalf("redirect to another port: got %v, want ErrRedirect", err)
	}
}

func TestMaxAge(t *testing.T) {
	for _, tc := range []struct {
		header []string
		want   time.Duration
		ok     bool
	}{
		{nil, 0, false},
		{[]string{"max-age=600"}, 10 * time.Minute, true},
		{[]string{"public, max-age=86400, must-revalidate"}, 24 * time.Hour, true},
		{[]string{"MAX-AGE=60"}, time.Minute, true},
		{[]string{`max-age="60"`}, time.Minute, true},
		{[]string{"max-age = 60"}, time.Minute, true},
		{[]string{"max-age=0"}, 0, true},
		{[]string{"no-store"}, 0, true},
		{[]string{"max-age=600, no-cache"}, 0, true},
		{[]string{"public", "max-age=120"}, 2 * time.Minute, true},
		{[]string{"max-age=60, max-age=6000"}, time.Minute, true},
		{[]string{"max-age=-1"}, 0, false},
		{[]string{"max-age=1e3"}, 0, false},
		{[]string{"max-age="}, 0, false},
		{[]string{"max-age"}, 0, false},
		{[]string{"s-maxage=60"}, 0, false},
		{[]string{"max-age=99999999999999999999"}, httpx.MaxHeaderWait, true},
		{[]string{"max-age=31536000"}, httpx.MaxHeaderWait, true},
	} {
		h := http.Header{"Cache-Control": tc.header}
		got, ok := maxAge(h)
		if got != tc.want || ok != tc.ok {
			t.Errorf("maxAge(%q): got %v, %v; want %v, %v", tc.header, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	s := settings{minBackoff: time.Second, maxBackoff: 5 * time.Minute}
	want := time.Second
	for n := 1; n <= 20; n++ {
		lo, hi := want, time.Duration(0)
		for range 200 {
			d := s.backoff(n)
			lo, hi = min(lo, d), max(hi, d)
		}
		if lo < want/2 || hi > want || hi-lo < want/10 {
			t.Fatalf("backoff(%d): range [%v, %v], want within [%v, %v] and jittered", n, lo, hi, want/2, want)
		}
		want = min(2*want, 5*time.Minute)
	}
}

func TestLifetime(t *testing.T) {
	s := settings{refresh: 10 * time.Minute, minRefresh: time.Minute, maxRefresh: 24 * time.Hour}
	for _, tc := range []struct {
		cacheControl, age string
		want              time.Duration
	}{
		{"", "", 10 * time.Minute},
		{"no-store", "", time.Minute},
		{"max-age=1", "", time.Minute},
		{"max-age=3600", "", time.Hour},
		{"max-age=31536000", "", 24 * time.Hour},
		{"max-age=3600", "600", 50 * time.Minute},
		{"max-age=3600", "3599", time.Minute},
		{"max-age=3600", "99999999999999999999", time.Minute},
		{"max-age=3600", "-1", time.Hour},
		{"max-age=3600", "600, 1200", 40 * time.Minute},
		{"", "300", 5 * time.Minute},
	} {
		h := http.Header{}
		if tc.cacheControl != "" {
			h.Set("Cache-Control", tc.cacheControl)
		}
		if tc.age != "" {
			h.Set("Age", tc.age)
		}
		if got := s.lifetime(h); got != tc.want {
			t.Errorf("lifetime(Cache-Control %q, Age %q): got %v, want %v", tc.cacheControl, tc.age, got, tc.want)
		}
	}
}

// FuzzHeaders: the Cache-Control and Age parsers never panic and the
// lifetime stays within [MinRefreshInterval, MaxRefreshInterval]; whatever Retry-After says, the hold it causes is within
// [0, MaxBackoff], never past the keys' expiry, and no longer than the
// backoff delay while no keys are held (X7).
func FuzzHeaders(f *testing.F) {
	for _, s := range []string{"max-age=600", "no-store", "public, max-age=1", "max-age=99999999999999999999",
		`max-age="5"`, "120", "86400", "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "", ",,=,", "max-age=-1"} {
		f.Add(s, int64(time.Hour), int64(time.Second))
		f.Add(s, int64(-time.Hour), int64(time.Minute))
	}
	now := time.Unix(1_800_000_000, 0)
	s := settings{minBackoff: time.Second, maxBackoff: 5 * time.Minute,
		refresh: 10 * time.Minute, minRefresh: time.Minute, maxRefresh: 24 * time.Hour}
	f.Fuzz(func(t *testing.T, v string, keysLeft, backoff int64) {
		h := http.Header{"Cache-Control": {v}, "Retry-After": {v}, "Age": {v}}
		if d, _ := maxAge(h); d < 0 || d > httpx.MaxHeaderWait {
			t.Fatalf("maxAge(%q) = %v, out of bounds", v, d)
		}
		if d := s.lifetime(h); d < s.minRefresh || d > s.maxRefresh {
			t.Fatalf("lifetime(%q) = %v, outside [%v, %v]", v, d, s.minRefresh, s.maxRefresh)
		}
		ra, _ := httpx.RetryAfter(h, now)
		bo := httpx.Clamp(time.Duration(backoff), 0, s.maxBackoff) // what backoff() returns
		left := time.Duration(keysLeft)
		w := s.retryWait(ra, bo, left)
		switch {
		case w < 0 || w > s.maxBackoff:
			t.Fatalf("retryWait(%v, %v, %v) = %v, outside [0, MaxBackoff]", ra, bo, left, w)
		case left > 0 && w > left:
			t.Fatalf("retryWait(%v, %v, %v) = %v, past the keys' expiry", ra, bo, left, w)
		case left <= 0 && w > bo:
			t.Fatalf("retryWait(%v, %v, %v) = %v without keys, longer than the backoff", ra, bo, left, w)
		}
	})
}

// FuzzDiscovery: the discovery document parser never panics and returns
// only an https jwks_uri (the issuer is https: X11) of a document whose
// issuer matched.
func FuzzDiscovery(f *testing.F) {
	const iss = "https://tenant.example.auth0.com/"
	for _, s := range []string{
		`{"issuer":"` + iss + `","jwks_uri":"` + iss + `.well-known/jwks.json"}`,
		`{"issuer":"` + iss + `","jwks_uri":"http://evil.example/"}`,
		`{"issuer":"` + iss + `","issuer":"x","jwks_uri":"https://a/"}`,
		`{"issuer":"` + iss + `","jwks_uri":"https://other.example/k"}`,
		`{"issuer":"` + iss + `","jwks_uri":"http://127.0.0.1:8080/jwks"}`,
		`{"issuer":"` + iss + `","jwks_uri":"http://localhost/jwks"}`,
		`{"issuer":null}`, `[]`, ``, `{"issuer":"` + iss + `","jwks_uri":"https://u:p@a/#f"}`,
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, body []byte, strict bool) {
		uri, err := parseDiscovery(body, iss, strict)
		if err != nil {
			if uri != "" {
				t.Fatalf("got %q with error %v", uri, err)
			}
			return
		}
		u, err := checkURL(uri)
		if err != nil {
			t.Fatalf("accepted jwks_uri %q: %v", uri, err)
		}
		if u.Scheme != "https" {
			t.Fatalf("accepted jwks_uri %q for the https issuer %s", uri, iss)
		}
	})
}

// TestHTTPRCNeverFetchesByItself: httprc's scheduler never finds the
// resource due, and a sync it starts by itself (as after Add, or at a tick)
// is refused by the resource client without a request; the Cache's own
// fetches go through.
func TestHTTPRCNeverFetchesByItself(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte(`{"keys":[]}`)) // refused: each lookup may fetch again
	}))
	defer srv.Close()
	c, err := New(Config{URL: srv.URL, Cooldown: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for range 5 {
		_, _ = c.Key(context.Background(), "k", "RS256")
	}
	c.mu.Lock()
	for c.flight != nil {
		f := c.flight
		c.mu.Unlock()
		<-f.done
		c.mu.Lock()
	}
	c.mu.Unlock()
	n := hits.Load()
	if n < 2 {
		t.Fatalf("fetches: got %d, want several", n)
	}
	if next := c.rc.res.Next(); next.Before(time.Now().Add(50 * 365 * 24 * time.Hour)) {
		t.Fatalf("httprc's next fetch: got %v, want decades ahead", next)
	}
	if err := c.rc.res.Sync(context.Background()); !errors.Is(err, errNotOurs) {
		t.Fatalf("a sync httprc starts by itself: got %v, want errNotOurs", err)
	}
	if got := hits.Load(); got != n {
		t.Fatalf("requests after httprc's own sync: got %d, want %d", got, n)
	}
}

// TestLookupRacingPublish: a lookup of a new kid that misses the old
// snapshot while the refetch bringing the kid completes (its result is
// applied under c.mu, and its start begins the cooldown) must find the key
// in the new snapshot, not fail with "refetch suppressed by the cooldown".
// Found by a stress test in interop's rotation scenario: a few of many
// concurrent first requests with a new kid got ErrKeyNotFound although
// exactly one refetch had published it.
func TestLookupRacingPublish(t *testing.T) {
	full, err := os.ReadFile("testdata/example-jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(full, &set); err != nil {
		t.Fatal(err)
	}
	var first []map[string]any // the set before ec-2024 is published
	for _, k := range set.Keys {
		if k["kid"] != "ec-2024" {
			first = append(first, k)
		}
	}
	before, err := json.Marshal(map[string]any{"keys": first})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(before)
	}))
	defer srv.Close()
	c, err := New(Config{URL: srv.URL, Prefetch: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Key(context.Background(), "ec-2024", "ES256"); !errors.Is(err, verifier.ErrKeyNotFound) {
		t.Fatalf("ec-2024 before it is published: got %v, want ErrKeyNotFound", err)
	}
	next, err := parseSet(full, true)
	if err != nil {
		t.Fatal(err)
	}

	// Hold c.mu as a finishing fetch does, let the lookup pass its
	// snapshot checks and block in demand, then publish as apply does.
	c.mu.Lock()
	done := make(chan error, 1)
	go func() {
		_, err := c.Key(context.Background(), "ec-2024", "ES256")
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	c.lastStart = c.cfg.now() // the refetch started within the cooldown
	if _, err := c.publish(next, c.cfg.now()); err != nil {
		c.mu.Unlock()
		t.Fatal(err)
	}
	c.mu.Unlock()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("lookup racing the publication of its kid: got %v, want the key", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("lookup did not return")
	}
}
