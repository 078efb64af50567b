package jwks_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/verifier"
)

// repeats returns what repeats in an error message: a ": "-separated
// segment, the URL, the status, or one of the phrases each layer used to
// add again ("keys unavailable", "jwks:", "fetch").
func repeats(msg, url string, status int) []string {
	var bad []string
	seen := map[string]bool{}
	for _, seg := range strings.Split(msg, ": ") {
		if seen[seg] {
			bad = append(bad, "segment "+strconv.Quote(seg))
		}
		seen[seg] = true
	}
	if n := strings.Count(msg, url); n > 1 {
		bad = append(bad, strconv.Quote(url)+" "+strconv.Itoa(n)+" times")
	}
	// The other phrases are counted outside the URL: its random port may
	// hold the status ("127.0.0.1:40423" and HTTP 404).
	rest := strings.ReplaceAll(msg, url, "<url>")
	phrases := []string{"keys unavailable", "jwks:", "fetch", "verifier:"}
	if status != 0 {
		phrases = append(phrases, strconv.Itoa(status))
	}
	for _, p := range phrases {
		if n := strings.Count(rest, p); n > 1 {
			bad = append(bad, strconv.Quote(p)+" "+strconv.Itoa(n)+" times")
		}
	}
	return bad
}

// TestFH9KeysUnavailableSaysWhatIsWrong walks the error Verify returns
// (through ErrKeysUnavailable) on every path that leaves a Cache without
// keys: it must say what is wrong (the URL, the status and content type,
// the cause) once, with no phrase repeated by a second layer; Prefetch
// returns the same error from New (SECURITY.md 3.28).
func TestFH9KeysUnavailableSaysWhatIsWrong(t *testing.T) {
	loadKeys()
	good := doc(rsaJWK("k1", &rsaKey.PublicKey))
	html := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(status)
			_, _ = w.Write([]byte("<html><body>Not here: secret-page-content</body></html>"))
		}
	}
	jsonDoc := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(body))
		}
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc // nil: the server is closed (connection refused)
		hang    bool             // the server never answers
		after   bool             // good keys first, then the handler, past MaxStale
		status  int
		want    []string
	}{
		{name: "FH9/404-html", handler: html(404), status: 404, want: []string{"HTTP 404", "text/html", "not a key set URL"}},
		{name: "FH9/404-plain", handler: http.NotFound, status: 404, want: []string{"HTTP 404", "text/plain", "not a key set URL"}},
		{name: "FH9/200-html", handler: html(200), status: 200, want: []string{"HTTP 200", "text/html", "not a key set URL"}},
		{name: "FH9/json-without-keys", handler: jsonDoc(`{"issuer":"https://idp.example.com/"}`), status: 200, want: []string{`no "keys" member`, "not a key set URL"}},
		{name: "FH9/keys-not-array", handler: jsonDoc(`{"keys":{"kty":"RSA"}}`), status: 200, want: []string{`"keys" is not an array`, "not a key set URL"}},
		{name: "FH9/long-content-type", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/"+strings.Repeat("x", 5000))
			w.WriteHeader(http.StatusNotFound)
		}, status: 404, want: []string{"HTTP 404", "not a key set URL"}},
		{name: "FH9/500", handler: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusInternalServerError) }, status: 500, want: []string{"HTTP 500"}},
		{name: "FH9/connection-refused", handler: nil, want: []string{"connection refused"}},
		{name: "FH9/timeout", hang: true, want: []string{"no answer within FetchTimeout"}},
		{name: "FH9/after-good-keys", handler: html(404), after: true, status: 404, want: []string{"HTTP 404", "MaxStale"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newJWKSServer(t, good)
			url := srv.URL + "/.well-known/jwks.json"
			release := make(chan struct{})
			defer close(release)
			set := func() {
				switch {
				case tt.hang:
					srv.setHandler(func(w http.ResponseWriter, r *http.Request) {
						select {
						case <-r.Context().Done():
						case <-release:
						}
					})
				case tt.handler == nil:
					srv.Close()
				default:
					srv.setHandler(tt.handler)
				}
			}
			if !tt.after {
				set()
			}
			clock := newFakeClock()
			cfg := jwks.Config{URL: url, Now: clock.Now, FetchTimeout: 200 * time.Millisecond}
			if tt.after {
				cfg.Prefetch = 5 * time.Second
			}
			c, err := jwks.NewWithTimer(cfg, clock.After)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			defer c.Close()
			if tt.after {
				set()
				clock.Advance(jwks.DefaultMaxStale + time.Minute)
			}
			v := newVerifier(t, c)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, err = v.Verify(ctx, rsaToken(t, rsaKey, "k1"))
			check := func(err error) {
				t.Helper()
				if !errors.Is(err, verifier.ErrKeysUnavailable) {
					t.Fatalf("got %v, want ErrKeysUnavailable", err)
				}
				msg := err.Error()
				t.Logf("%s", msg)
				if len(msg) > len(url)+300 {
					t.Errorf("message of %d bytes, want at most %d", len(msg), len(url)+300)
				}
				if bad := repeats(msg, url, tt.status); len(bad) > 0 {
					t.Errorf("message %q repeats itself: %s", msg, strings.Join(bad, ", "))
				}
				if !strings.Contains(msg, url) {
					t.Errorf("message %q does not name the URL", msg)
				}
				for _, w := range tt.want {
					if !strings.Contains(msg, w) {
						t.Errorf("message %q does not say %q", msg, w)
					}
				}
				if strings.Contains(msg, "secret-page-content") {
					t.Errorf("message %q holds the body", msg)
				}
			}
			check(err)
			if tt.after {
				return
			}
			// Prefetch: New fails with the same words.
			cfg.Prefetch = 5 * time.Second
			c2, err := jwks.New(cfg)
			if err == nil {
				c2.Close()
				t.Fatal("New with Prefetch: got nil error")
			}
			check(err)
		})
	}
}

// TestFH10MisconfigurationLoggedOnce: a JWKS URL that serves no key set,
// while no keys were ever had, is logged once at Error as a configuration
// problem (URL, status, content type; never the body), not as "keeping
// the last good keys"; the same cause again is not logged at Error again;
// a new cause is; after a success, failures are logged as before
// (SECURITY.md 3.28).
func TestFH10MisconfigurationLoggedOnce(t *testing.T) {
	loadKeys()
	srv := newJWKSServer(t, "")
	srv.setHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("<html>secret-page-content</html>"))
	})
	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	clock := newFakeClock()
	c, err := jwks.NewWithTimer(jwks.Config{URL: srv.URL, Now: clock.Now, Logger: logger}, clock.After)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// step moves the clock past any backoff and waits for fetch n and for
	// the refresh loop to wait again (the fetch's result applied).
	step := func(n int64) {
		t.Helper()
		if n > 1 {
			clock.Advance(jwks.DefaultMaxBackoff + time.Minute)
		}
		waitFor(t, "fetch "+strconv.FormatInt(n, 10), func() bool { return srv.count() >= n && clock.pending() })
	}
	step(1)
	step(2)
	step(3)
	srv.setHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"keys":{}}`))
	})
	step(4)
	step(5)
	srv.setHandler(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusServiceUnavailable) })
	step(6)
	srv.set(200, doc(rsaJWK("k1", &rsaKey.PublicKey)))
	srv.setHandler(nil)
	step(7)
	if n := c.Stats().Keys; n != 1 {
		t.Fatalf("got %d keys, want 1", n)
	}
	srv.setHandler(func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	clock.Advance(jwks.DefaultRefreshInterval)
	waitFor(t, "fetch 8", func() bool { return srv.count() >= 8 && clock.pending() })
	if n := c.Stats().Failures; n != 1 {
		t.Fatalf("got %d failures, want 1", n)
	}
	c.Close()

	type line struct {
		Level, Msg, URL, ContentType string
		Status                       int
	}
	var got []line
	for s := range strings.SplitSeq(strings.TrimSpace(buf.String()), "\n") {
		var l struct {
			Level, Msg, URL string
			ContentType     string `json:"content_type"`
			Status          int
		}
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			t.Fatalf("log line %q: %v", s, err)
		}
		got = append(got, line{l.Level, l.Msg, l.URL, l.ContentType, l.Status})
	}
	var errorsAt, keeping, noKeys int
	for _, l := range got {
		switch {
		case l.Level == "ERROR":
			errorsAt++
			if !strings.Contains(l.Msg, "configuration problem") || l.URL != srv.URL || l.Status == 0 || l.ContentType == "" {
				t.Errorf("error line %+v: want a configuration problem with URL, status and content type", l)
			}
		case strings.Contains(l.Msg, "keeping the last good keys"):
			keeping++
		case l.Level == "WARN" && strings.Contains(l.Msg, "no keys"):
			noKeys++
		}
	}
	// Two distinct causes (404 HTML, then a JSON document that is not a key
	// set); the 503 without keys is a warning that says there are none; the
	// 404 after keys keeps them.
	if errorsAt != 2 || keeping != 1 || noKeys != 1 {
		t.Errorf("got %d errors, %d 'keeping' and %d 'no keys' warnings, want 2, 1, 1; log:\n%s", errorsAt, keeping, noKeys, buf.String())
	}
	if strings.Contains(buf.String(), "secret-page-content") {
		t.Error("the log holds the body")
	}
}

// pending reports whether the refresh loop waits on the fake clock.
func (c *fakeClock) pending() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.waiters) > 0
}
