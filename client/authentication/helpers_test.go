package authentication

import (
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// seen is one request as a test server received it.
type seen struct {
	Method, Path, ContentType string
	Header                    http.Header
	Body                      []byte
	Form                      url.Values // when form-encoded
}

// server answers every request with the status and body of reply, and
// keeps what it received.
type server struct {
	*httptest.Server
	mu    sync.Mutex
	reqs  []seen
	reply func(n int, w http.ResponseWriter, r *http.Request)
}

func newServer(t *testing.T, reply func(n int, w http.ResponseWriter, r *http.Request)) *server {
	t.Helper()
	s := &server{reply: reply}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		sn := seen{Method: r.Method, Path: r.URL.EscapedPath(), ContentType: mt, Header: r.Header.Clone(), Body: b}
		if mt == "application/x-www-form-urlencoded" {
			sn.Form, _ = url.ParseQuery(string(b))
		}
		s.mu.Lock()
		s.reqs = append(s.reqs, sn)
		n := len(s.reqs)
		s.mu.Unlock()
		s.reply(n, w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) requests() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.reqs...)
}

func (s *server) last(t *testing.T) seen {
	t.Helper()
	r := s.requests()
	if len(r) == 0 {
		t.Fatal("the server got no request")
	}
	return r[len(r)-1]
}

// jsonReply answers status with body as JSON.
func jsonReply(status int, body string) func(int, http.ResponseWriter, *http.Request) {
	return func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// newTestClient builds a Client for srv with cfg, with fast retries unless
// cfg.HTTP sets its own backoff.
func newTestClient(t *testing.T, srvURL string, cfg Config) *Client {
	t.Helper()
	if cfg.HTTP.Backoff == 0 && cfg.HTTP.MaxWait == 0 {
		cfg.HTTP.Backoff, cfg.HTTP.MaxWait = time.Millisecond, 10*time.Millisecond
	}
	c, err := New(srvURL, cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}
