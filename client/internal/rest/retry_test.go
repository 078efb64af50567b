package rest

import (
	"context"
	"errors"
	"fmt"
	"github.com/tokengate/tokengate/client"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tooMany answers 429 with the given headers.
func tooMany(w http.ResponseWriter, headers map[string]string) {
	for k, v := range headers {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusTooManyRequests)
	io.WriteString(w, `{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached","errorCode":"too_many_requests"}`)
}

func TestRetry429(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	cases := []struct {
		name     string
		headers  map[string]string
		minWait  time.Duration
		maxWait  time.Duration
		wantNext time.Time
	}{
		{"Retry-After seconds", map[string]string{"Retry-After": "2"}, 2 * time.Second, 2 * time.Second, now.Add(2 * time.Second)},
		{"Retry-After date", map[string]string{"Retry-After": now.Add(3 * time.Second).UTC().Format(http.TimeFormat)}, 3 * time.Second, 3 * time.Second, now.Add(3 * time.Second)},
		{"Retry-After date in the past", map[string]string{"Retry-After": now.Add(-time.Minute).UTC().Format(http.TimeFormat)}, 0, 0, now},
		{"X-RateLimit-Reset", map[string]string{"X-RateLimit-Reset": strconv.FormatInt(now.Unix()+4, 10), "X-RateLimit-Remaining": "0", "X-RateLimit-Limit": "10"}, 4 * time.Second, 4*time.Second + 400*time.Millisecond, now.Add(4 * time.Second)},
		{"Retry-After wins over reset", map[string]string{"Retry-After": "1", "X-RateLimit-Reset": strconv.FormatInt(now.Unix()+30, 10)}, time.Second, time.Second, now.Add(30 * time.Second)},
		{"no headers: backoff", nil, 250 * time.Millisecond, 500 * time.Millisecond, time.Time{}},
		{"garbage headers: backoff", map[string]string{"Retry-After": "soon", "X-RateLimit-Reset": "-1"}, 250 * time.Millisecond, 500 * time.Millisecond, time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The wait the answer asks for, with the real base and cap.
			c, err := New("https://tenant.auth0.com", "management", client.Config{Now: func() time.Time { return now }, Backoff: 500 * time.Millisecond, MaxWait: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			h := http.Header{}
			for k, v := range tc.headers {
				h.Set(k, v)
			}
			for range 20 { // jitter
				got := c.retryWait(client.ReasonRateLimited, h, now, 1)
				if got < tc.minWait || got > tc.maxWait {
					t.Fatalf("wait: got %v, want in [%v, %v]", got, tc.minWait, tc.maxWait)
				}
			}

			// Against a server: retried until success, waits capped.
			srv, n := counting(t, func(i int, w http.ResponseWriter, r *http.Request) {
				if i <= 2 {
					tooMany(w, tc.headers)
					return
				}
				io.WriteString(w, `{"ok":true}`)
			})
			rec := &recorder{}
			c = newTestClient(t, srv.URL, client.Config{Observer: rec, Now: func() time.Time { return now }})
			var out struct{ OK bool }
			if _, err := c.Do(ctxTimeout(t, 5*time.Second), &Request{Method: "POST", Path: "/api/v2/users", JSON: map[string]string{}}, &out); err != nil || !out.OK {
				t.Fatalf("Do: got %+v, %v; want OK", out, err)
			}
			if got := n.Load(); got != 3 {
				t.Errorf("requests: got %d, want 3", got)
			}
			if len(rec.retries) != 2 || len(rec.requests) != 3 {
				t.Fatalf("events: got %d retries, %d requests; want 2, 3", len(rec.retries), len(rec.requests))
			}
			for _, ev := range rec.retries {
				if ev.Reason != client.ReasonRateLimited || ev.API != "management" || ev.Method != "POST" || ev.Wait > 20*time.Millisecond {
					t.Errorf("retry event: got %+v, want rate_limited POST with wait <= 20ms cap", ev)
				}
			}
			if got := rec.requests[0].StatusCode; got != 429 {
				t.Errorf("first attempt status: got %d, want 429", got)
			}
			wantRemaining := -1
			if v, ok := tc.headers["X-RateLimit-Remaining"]; ok {
				wantRemaining, _ = strconv.Atoi(v)
			}
			if got := rec.requests[0].RateLimitRemaining; got != wantRemaining {
				t.Errorf("first attempt RateLimitRemaining: got %d, want %d", got, wantRemaining)
			}
			if got := rec.requests[2].RateLimitRemaining; got != -1 {
				t.Errorf("answer without X-RateLimit-Remaining: got %d, want -1", got)
			}

			// Retries off: one request and a *client.RateLimitError.
			srv2, n2 := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) { tooMany(w, tc.headers) })
			c = newTestClient(t, srv2.URL, client.Config{MaxRetries: client.NoRetries, Now: func() time.Time { return now }})
			_, err = c.Do(context.Background(), &Request{Path: "/x"}, nil)
			var rl *client.RateLimitError
			if !errors.As(err, &rl) {
				t.Fatalf("got %v, want *client.RateLimitError", err)
			}
			if !rl.ResetAt.Equal(tc.wantNext) {
				t.Errorf("ResetAt: got %v, want %v", rl.ResetAt, tc.wantNext)
			}
			if rl.Err.Code != "too_many_requests" || rl.Err.StatusCode != 429 {
				t.Errorf("inner error: got %+v, want 429 too_many_requests", rl.Err)
			}
			if got := n2.Load(); got != 1 {
				t.Errorf("requests without retries: got %d, want 1", got)
			}
		})
	}
}

func TestRetriesRunOut(t *testing.T) {
	srv, n := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		tooMany(w, map[string]string{"X-RateLimit-Limit": "50", "X-RateLimit-Remaining": "0"})
	})
	c := newTestClient(t, srv.URL, client.Config{MaxRetries: 2})
	_, err := c.Do(context.Background(), &Request{Path: "/x"}, nil)
	var rl *client.RateLimitError
	if !errors.As(err, &rl) || rl.Limit != 50 || rl.Remaining != 0 {
		t.Fatalf("got %v, want *client.RateLimitError with Limit 50, Remaining 0", err)
	}
	var e *client.Error
	if !errors.As(err, &e) || e.StatusCode != 429 {
		t.Errorf("errors.As *client.Error: got %v, want the 429", e)
	}
	if got := n.Load(); got != 3 {
		t.Errorf("requests: got %d, want 3 (1 + 2 retries)", got)
	}
}

func TestRetryServerError(t *testing.T) {
	cases := []struct {
		name         string
		method       string
		idempotent   *bool
		status       int
		wantRequests int32
	}{
		{"503 GET retried", "GET", nil, 503, 4},
		{"503 DELETE retried", "DELETE", nil, 503, 4},
		{"503 POST not retried", "POST", nil, 503, 1},
		{"503 PATCH not retried", "PATCH", nil, 503, 1},
		{"503 POST marked idempotent retried", "POST", ptr(true), 503, 4},
		{"503 GET marked not idempotent", "GET", ptr(false), 503, 1},
		{"500 GET retried", "GET", nil, 500, 4},
		{"501 GET not retried", "GET", nil, 501, 1},
		{"400 GET not retried", "GET", nil, 400, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, n := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				io.WriteString(w, "upstream trouble")
			})
			rec := &recorder{}
			c := newTestClient(t, srv.URL, client.Config{Observer: rec})
			_, err := c.Do(context.Background(), &Request{Method: tc.method, Path: "/x", Idempotent: tc.idempotent}, nil)
			var e *client.Error
			if !errors.As(err, &e) || e.StatusCode != tc.status || e.Message != "upstream trouble" {
				t.Errorf("got %v, want *client.Error %d with the body text", err, tc.status)
			}
			if got := n.Load(); got != tc.wantRequests {
				t.Errorf("requests: got %d, want %d", got, tc.wantRequests)
			}
			for _, ev := range rec.retries {
				if ev.Reason != client.ReasonServerError {
					t.Errorf("retry reason: got %q, want %q", ev.Reason, client.ReasonServerError)
				}
			}
		})
	}
	t.Run("503 then success", func(t *testing.T) {
		srv, n := counting(t, func(i int, w http.ResponseWriter, r *http.Request) {
			if i == 1 {
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(503)
				return
			}
			io.WriteString(w, `{"ok":true}`)
		})
		c := newTestClient(t, srv.URL, client.Config{})
		var out struct{ OK bool }
		if _, err := c.Do(context.Background(), &Request{Path: "/x"}, &out); err != nil || !out.OK {
			t.Errorf("got %+v, %v; want OK", out, err)
		}
		if got := n.Load(); got != 2 {
			t.Errorf("requests: got %d, want 2", got)
		}
	})
}

// TestRetryNetworkError uses a server that drops the connection without an
// answer.
func TestRetryNetworkError(t *testing.T) {
	cases := []struct {
		method       string
		wantRequests int32
	}{
		{"GET", 3},
		{"POST", 1},
	}
	for _, tc := range cases {
		t.Run(tc.method, func(t *testing.T) {
			srv, n := counting(t, func(i int, w http.ResponseWriter, r *http.Request) {
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					conn.Close()
				}
			})
			rec := &recorder{}
			c := newTestClient(t, srv.URL, client.Config{MaxRetries: 2, Observer: rec})
			_, err := c.Do(context.Background(), &Request{Method: tc.method, Path: "/x", Query: map[string][]string{"access_token": {"query-secret-1"}}}, nil)
			if err == nil {
				t.Fatal("got nil error, want a network error")
			}
			var e *client.Error
			if errors.As(err, &e) {
				t.Errorf("got *client.Error %v, want a transport error", e)
			}
			if strings.Contains(err.Error(), "query-secret-1") {
				t.Errorf("error %q contains the query secret", err)
			}
			if got := n.Load(); got != tc.wantRequests {
				t.Errorf("requests: got %d, want %d", got, tc.wantRequests)
			}
			for _, ev := range rec.requests {
				if ev.StatusCode != 0 || ev.Err == nil {
					t.Errorf("request event: got %+v, want status 0 and an error", ev)
				}
			}
			for _, ev := range rec.retries {
				if ev.Reason != client.ReasonNetwork {
					t.Errorf("retry reason: got %q, want %q", ev.Reason, client.ReasonNetwork)
				}
			}
		})
	}
}

func TestContextCancelledMidWait(t *testing.T) {
	srv, n := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		tooMany(w, map[string]string{"Retry-After": "30"})
	})
	c := newTestClient(t, srv.URL, client.Config{Backoff: time.Millisecond, MaxWait: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Do(ctx, &Request{Path: "/x"}, nil)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Do returned after %v, want soon after the cancel", d)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	var rl *client.RateLimitError
	if !errors.As(err, &rl) {
		t.Errorf("got %v, want the last *client.RateLimitError inside", err)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("requests: got %d, want 1", got)
	}
}

func TestWaitPastDeadlineNotStarted(t *testing.T) {
	srv, n := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		tooMany(w, map[string]string{"Retry-After": "30"})
	})
	c := newTestClient(t, srv.URL, client.Config{Backoff: time.Millisecond, MaxWait: time.Minute})
	start := time.Now()
	_, err := c.Do(ctxTimeout(t, 2*time.Second), &Request{Path: "/x"}, nil)
	if d := time.Since(start); d > time.Second {
		t.Errorf("Do returned after %v, want at once", d)
	}
	var rl *client.RateLimitError
	if !errors.As(err, &rl) {
		t.Errorf("got %v, want *client.RateLimitError", err)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("requests: got %d, want 1", got)
	}
}

func TestRebuildPerRetry(t *testing.T) {
	var bodies []string
	srv, _ := counting(t, func(i int, w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		if i < 3 {
			tooMany(w, nil)
		}
	})
	c := newTestClient(t, srv.URL, client.Config{})
	built := 0
	mk := func() *Request {
		built++
		return &Request{Method: "POST", Path: "/oauth/token", Form: map[string][]string{"n": {strconv.Itoa(built)}}}
	}
	r := mk()
	r.Rebuild = func() (*Request, error) { return mk(), nil }
	if _, err := c.Do(context.Background(), r, nil); err != nil {
		t.Fatalf("Do: %v", err)
	}
	want := []string{"n=1", "n=2", "n=3"}
	if strings.Join(bodies, ",") != strings.Join(want, ",") {
		t.Errorf("bodies: got %v, want %v", bodies, want)
	}
}

func TestBodyResentOnRetry(t *testing.T) {
	var bodies []string
	srv, _ := counting(t, func(i int, w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		if i == 1 {
			w.WriteHeader(503)
		}
	})
	c := newTestClient(t, srv.URL, client.Config{})
	if _, err := c.Do(context.Background(), &Request{Method: "PUT", Path: "/x", JSON: map[string]int{"a": 1}}, nil); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if len(bodies) != 2 || bodies[0] != `{"a":1}` || bodies[1] != bodies[0] {
		t.Errorf("bodies: got %q, want the same JSON twice", bodies)
	}
}

func TestBackoffBounds(t *testing.T) {
	c, err := New("https://tenant.auth0.com", "management", client.Config{Backoff: 100 * time.Millisecond, MaxWait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		attempt  int
		min, max time.Duration
	}{
		{1, 50 * time.Millisecond, 100 * time.Millisecond},
		{2, 100 * time.Millisecond, 200 * time.Millisecond},
		{3, 200 * time.Millisecond, 400 * time.Millisecond},
		{5, 500 * time.Millisecond, time.Second},
		{64, 500 * time.Millisecond, time.Second},
	}
	for _, tc := range cases {
		t.Run(strconv.Itoa(tc.attempt), func(t *testing.T) {
			for range 50 {
				if got := c.backoff(tc.attempt); got < tc.min || got > tc.max {
					t.Fatalf("got %v, want in [%v, %v]", got, tc.min, tc.max)
				}
			}
		})
	}
}

// TestX21RetryWaitNeverNegative: header values far in the future used to
// saturate the wait, the jitter then wrapped it negative, and the retry
// fired at once with a negative Wait reported to the observer.
func TestX21RetryWaitNeverNegative(t *testing.T) {
	const maxWait = 20 * time.Millisecond
	cases := []struct {
		name    string
		headers map[string]string
	}{
		{"X-RateLimit-Reset 2^40", map[string]string{"X-RateLimit-Reset": strconv.FormatInt(1<<40, 10)}},
		{"X-RateLimit-Reset year 9999", map[string]string{"X-RateLimit-Reset": "253402300799"}},
		{"X-RateLimit-Reset max int64", map[string]string{"X-RateLimit-Reset": "9223372036854775807"}},
		{"Retry-After huge", map[string]string{"Retry-After": "99999999999999999999999"}},
		{"Retry-After far date", map[string]string{"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, n := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) { tooMany(w, tc.headers) })
			rec := &recorder{}
			c := newTestClient(t, srv.URL, client.Config{MaxRetries: 2, Observer: rec, Backoff: time.Millisecond, MaxWait: maxWait})
			_, err := c.Do(ctxTimeout(t, 10*time.Second), &Request{Path: "/x"}, nil)
			var rl *client.RateLimitError
			if !errors.As(err, &rl) {
				t.Fatalf("got %v, want *client.RateLimitError", err)
			}
			if got := n.Load(); got != 3 {
				t.Errorf("requests: got %d, want 3", got)
			}
			for _, ev := range rec.retries {
				if ev.Wait < 0 || ev.Wait > maxWait {
					t.Errorf("retry wait: got %v, want within [0, %v]", ev.Wait, maxWait)
				}
			}
		})
	}
}

// panicObserver panics on every event, as a faulty user observer may.
type panicObserver struct{}

func (panicObserver) ObserveRequest(context.Context, client.RequestEvent) {
	panic("ObserveRequest exploded")
}
func (panicObserver) ObserveRetry(context.Context, client.RetryEvent) { panic("ObserveRetry exploded") }

// panicHandler is a slog.Handler whose Handle panics.
type panicHandler struct{ slog.Handler }

func (panicHandler) Enabled(context.Context, slog.Level) bool { return true }
func (panicHandler) Handle(context.Context, slog.Record) error {
	panic("log handler exploded")
}

// TestX21PanickingHooksDoNotFailRequests: an observer, debug hook or
// logger that panics must not take down the request that called it (under
// the token fetch's singleflight such a panic killed the process).
func TestX21PanickingHooksDoNotFailRequests(t *testing.T) {
	hooks := map[string]client.Config{
		"observer": {Observer: panicObserver{}},
		"debug":    {Debug: func(client.DebugEvent) { panic("debug hook exploded") }},
		"logger":   {Logger: slog.New(panicHandler{})},
	}
	for name, cfg := range hooks {
		t.Run(name, func(t *testing.T) {
			srv, n := counting(t, func(i int, w http.ResponseWriter, r *http.Request) {
				if i == 1 {
					tooMany(w, map[string]string{"Retry-After": "0"})
					return
				}
				io.WriteString(w, `{"ok":true}`)
			})
			c := newTestClient(t, srv.URL, cfg)
			var out struct{ OK bool }
			err := func() (err error) {
				defer func() {
					if p := recover(); p != nil {
						err = fmt.Errorf("Do panicked: %v", p)
					}
				}()
				_, err = c.Do(context.Background(), &Request{Path: "/x"}, &out)
				return err
			}()
			if err != nil || !out.OK {
				t.Fatalf("got %+v, %v; want OK", out, err)
			}
			if got := n.Load(); got != 2 {
				t.Errorf("requests: got %d, want 2", got)
			}
		})
	}
}

// FuzzX21RetryWait: whatever Retry-After and X-RateLimit-Reset say, for
// any attempt number, reason and backoff setting, the wait before a retry
// is in [0, maxWait].
func FuzzX21RetryWait(f *testing.F) {
	now := time.Unix(1_700_000_000, 0)
	for _, s := range []struct{ retryAfter, reset string }{
		{"", strconv.FormatInt(1<<40, 10)},
		{"", "253402300799"},
		{"", "9223372036854775807"},
		{"99999999999999999999999", ""},
		{"Fri, 31 Dec 9999 23:59:59 GMT", ""},
		{"-1", "-1"},
		{"", strconv.FormatInt(now.Unix()+30, 10)},
	} {
		f.Add(s.retryAfter, s.reset, 1, uint8(0), int64(time.Minute), int64(time.Millisecond))
	}
	f.Add("", "", math.MaxInt, uint8(2), int64(math.MaxInt64), int64(math.MaxInt64))
	f.Add("", "", math.MinInt, uint8(1), int64(1), int64(1))
	reasons := []string{client.ReasonRateLimited, client.ReasonServerError, client.ReasonNetwork}
	f.Fuzz(func(t *testing.T, retryAfter, reset string, attempt int, reason uint8, maxWait, base int64) {
		if maxWait <= 0 || base <= 0 || base > maxWait {
			return // refused by New
		}
		c, err := New("https://tenant.auth0.com", "management", client.Config{Backoff: time.Duration(base), MaxWait: time.Duration(maxWait)})
		if err != nil {
			t.Fatal(err)
		}
		h := http.Header{"Retry-After": {retryAfter}, "X-Ratelimit-Reset": {reset}}
		r := reasons[int(reason)%len(reasons)]
		if got := c.retryWait(r, h, now, attempt); got < 0 || got > time.Duration(maxWait) {
			t.Fatalf("retryWait(%s, Retry-After %q, X-RateLimit-Reset %q, attempt %d) = %v, want within [0, %v]",
				r, retryAfter, reset, attempt, got, time.Duration(maxWait))
		}
	})
}
