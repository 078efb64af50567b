package rest

import (
	"bytes"
	"encoding/json"
	"github.com/tokengate/tokengate/client"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// logLines decodes slog's JSON output.
func logLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var recs []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(out), "\n") {
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		recs = append(recs, r)
	}
	return recs
}

// Config.Logger: attempts at Debug, retry waits at Info, giving up at Warn;
// the URL redacted, and no secret of the request anywhere, even when the
// server echoes it.
func TestLogger(t *testing.T) {
	const (
		clientSecret = "cs-very-secret-value"
		bearerToken  = "mgmt-token-abcdef123456"
		queryToken   = "query-access-token-xyz"
	)
	secrets := []string{clientSecret, bearerToken, queryToken}
	req := func() *Request {
		return &Request{
			Method: http.MethodPost, Path: "/oauth/token",
			Query:  url.Values{"access_token": {queryToken}, "page": {"2"}},
			Form:   url.Values{"client_id": {"app"}, "client_secret": {clientSecret}},
			Header: http.Header{"Authorization": {"Bearer " + bearerToken}},
		}
	}
	check := func(t *testing.T, out string) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("the log holds the secret %q:\n%s", s, out)
			}
		}
	}

	t.Run("429 then success", func(t *testing.T) {
		srv, _ := counting(t, func(n int, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				w.Header().Set("Retry-After", "1")
				w.Header().Set("X-RateLimit-Remaining", "0")
				w.WriteHeader(http.StatusTooManyRequests)
				// A server echoing the secret must not get it into the log.
				io.WriteString(w, `{"error":"too_many_requests","error_description":"slow down `+clientSecret+`"}`)
				return
			}
			io.WriteString(w, `{}`)
		})
		var buf bytes.Buffer
		log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		c, err := New(srv.URL, "authentication", client.Config{Logger: log, Backoff: time.Millisecond, MaxWait: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Do(ctxTimeout(t, 5*time.Second), req(), nil); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		check(t, out)
		recs := logLines(t, out)
		want := []struct{ level, msg string }{
			{"DEBUG", "auth0: request"}, {"INFO", "auth0: retrying"}, {"DEBUG", "auth0: request"},
		}
		if len(recs) != len(want) {
			t.Fatalf("got %d lines, want %d:\n%s", len(recs), len(want), out)
		}
		for i, w := range want {
			if recs[i]["level"] != w.level || recs[i]["msg"] != w.msg {
				t.Errorf("line %d: got %v %v, want %s %s", i, recs[i]["level"], recs[i]["msg"], w.level, w.msg)
			}
			if recs[i]["api"] != "authentication" || recs[i]["method"] != "POST" {
				t.Errorf("line %d: got api %v method %v, want authentication POST", i, recs[i]["api"], recs[i]["method"])
			}
			if u, _ := recs[i]["url"].(string); !strings.Contains(u, "access_token=%5BREDACTED%5D") || !strings.Contains(u, "page=2") {
				t.Errorf("line %d: got url %q, want the access_token value redacted and page kept", i, u)
			}
		}
		if recs[0]["status"] != 429.0 || recs[2]["status"] != 200.0 {
			t.Errorf("got statuses %v and %v, want 429 and 200", recs[0]["status"], recs[2]["status"])
		}
		if recs[1]["reason"] != client.ReasonRateLimited || recs[1]["rate_limit_remaining"] != 0.0 {
			t.Errorf("retry line: got %v, want reason rate_limited and remaining 0", recs[1])
		}
	})

	t.Run("5xx until the attempts are used up", func(t *testing.T) {
		srv, n := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
		})
		var buf bytes.Buffer
		log := slog.New(slog.NewJSONHandler(&buf, nil)) // Info: no attempt lines
		c := newTestClient(t, srv.URL, client.Config{Logger: log, MaxRetries: 1})
		r := req()
		r.Idempotent = ptr(true)
		if _, err := c.Do(ctxTimeout(t, 5*time.Second), r, nil); err == nil {
			t.Fatal("got nil error, want the 502")
		}
		out := buf.String()
		check(t, out)
		recs := logLines(t, out)
		if len(recs) != 2 || recs[0]["msg"] != "auth0: retrying" || recs[1]["level"] != "WARN" ||
			recs[1]["msg"] != "auth0: request failed, giving up" || recs[1]["attempts"] != 2.0 || n.Load() != 2 {
			t.Fatalf("got %d requests and\n%s\nwant 2 requests, a retry line and a WARN giving up after 2 attempts", n.Load(), out)
		}
	})

	t.Run("no logger, no output", func(t *testing.T) {
		srv, _ := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{}`) })
		c := newTestClient(t, srv.URL, client.Config{})
		if c.s.logger != nil {
			t.Fatal("got a logger by default, want none")
		}
		if _, err := c.Do(ctxTimeout(t, 5*time.Second), req(), nil); err != nil {
			t.Fatal(err)
		}
	})
}
