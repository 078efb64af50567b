package rest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"github.com/tokengate/tokengate/client"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewRefusesBadConfig(t *testing.T) {
	cases := []struct {
		name string
		cfg  client.Config
	}{
		{"negative timeout", client.Config{Timeout: -time.Second}},
		{"retries below NoRetries", client.Config{MaxRetries: -2}},
		{"too many retries", client.Config{MaxRetries: 11}},
		{"negative max response", client.Config{MaxResponseSize: -1}},
		{"negative backoff", client.Config{Backoff: -time.Second}},
		{"negative max wait", client.Config{MaxWait: -time.Second}},
		{"backoff above max wait", client.Config{Backoff: time.Second, MaxWait: time.Millisecond}},
		{"header injection in user agent", client.Config{UserAgent: "x\r\nX-Evil: 1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if c, err := New("https://tenant.auth0.com", "management", tc.cfg); err == nil {
				t.Errorf("got %v, nil error; want an error", c)
			}
		})
	}
}

// TestConfigZeroValueDefaults: the zero client.Config is the documented
// default, and a value left zero next to one that is set takes its default
// within the other's bounds.
func TestConfigZeroValueDefaults(t *testing.T) {
	cases := []struct {
		name string
		cfg  client.Config
		want settings
	}{
		{"zero", client.Config{}, settings{timeout: 10 * time.Second, retries: 3, backoffBase: 500 * time.Millisecond, maxWait: time.Minute, maxResponse: 10 << 20}},
		{"no retries", client.Config{MaxRetries: client.NoRetries}, settings{timeout: 10 * time.Second, retries: 0, backoffBase: 500 * time.Millisecond, maxWait: time.Minute, maxResponse: 10 << 20}},
		{"small max wait lowers the default backoff", client.Config{MaxWait: 10 * time.Millisecond}, settings{timeout: 10 * time.Second, retries: 3, backoffBase: 10 * time.Millisecond, maxWait: 10 * time.Millisecond, maxResponse: 10 << 20}},
		{"large backoff raises the default max wait", client.Config{Backoff: 2 * time.Minute}, settings{timeout: 10 * time.Second, retries: 3, backoffBase: 2 * time.Minute, maxWait: 2 * time.Minute, maxResponse: 10 << 20}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := resolve(tc.cfg)
			if err != nil {
				t.Fatalf("resolve: %v", err)
			}
			if got.now == nil {
				t.Error("now: got nil, want time.Now")
			}
			type bounds struct {
				timeout, backoffBase, maxWait time.Duration
				retries                       int
				maxResponse                   int64
			}
			g := bounds{got.timeout, got.backoffBase, got.maxWait, got.retries, got.maxResponse}
			w := bounds{tc.want.timeout, tc.want.backoffBase, tc.want.maxWait, tc.want.retries, tc.want.maxResponse}
			if g != w {
				t.Errorf("got %+v, want %+v", g, w)
			}
		})
	}
}

func TestDoSendsRequest(t *testing.T) {
	type seen struct {
		method, path, query, contentType, body, auth, custom string
	}
	cases := []struct {
		name string
		req  *Request
		want seen
	}{
		{
			name: "JSON POST",
			req: &Request{Method: "POST", Path: "/dbconnections/signup",
				JSON: map[string]any{"email": "a&b@example.com", "connection": "db"}},
			want: seen{method: "POST", path: "/dbconnections/signup", contentType: "application/json",
				body: `{"connection":"db","email":"a&b@example.com"}`},
		},
		{
			name: "form POST",
			req: &Request{Method: "POST", Path: "/oauth/token",
				Form: url.Values{"grant_type": {"client_credentials"}, "audience": {"https://api/"}}},
			want: seen{method: "POST", path: "/oauth/token", contentType: "application/x-www-form-urlencoded",
				body: "audience=https%3A%2F%2Fapi%2F&grant_type=client_credentials"},
		},
		{
			name: "GET with query, escaped path and headers",
			req: &Request{Path: "/api/v2/users/" + url.PathEscape("auth0|a b"),
				Query:  url.Values{"fields": {"email"}, "include_fields": {"true"}},
				Header: http.Header{"Authorization": {"Bearer t0k3n-value"}, "auth0-custom-domain": {"login.example.com"}}},
			want: seen{method: "GET", path: "/api/v2/users/auth0%7Ca%20b", query: "fields=email&include_fields=true",
				auth: "Bearer t0k3n-value", custom: "login.example.com"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got seen
			srv, _ := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				got = seen{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Get("Content-Type"),
					string(b), r.Header.Get("Authorization"), r.Header.Get("Auth0-Custom-Domain")}
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"ok":true}`)
			})
			c := newTestClient(t, srv.URL, client.Config{})
			var out struct{ OK bool }
			resp, err := c.Do(context.Background(), tc.req, &out)
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			if got != tc.want {
				t.Errorf("server saw %+v, want %+v", got, tc.want)
			}
			if !out.OK || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
				t.Errorf("got out %+v, resp %+v; want OK and 200", out, resp)
			}
		})
	}
}

func TestTelemetryHeaders(t *testing.T) {
	cases := []struct {
		name          string
		cfg           client.Config
		wantTelemetry bool
		wantUA        string
	}{
		{"default", client.Config{}, true, "tokengate/" + client.Version + " (" + runtime.Version() + ")"},
		{"without telemetry", client.Config{DisableTelemetry: true}, false, "Go-http-client/1.1"},
		{"custom user agent", client.Config{UserAgent: "my-app/1.0"}, true, "my-app/1.0"},
		{"custom user agent without telemetry", client.Config{DisableTelemetry: true, UserAgent: "my-app/1.0"}, false, "my-app/1.0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var h http.Header
			srv, _ := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) { h = r.Header.Clone() })
			c := newTestClient(t, srv.URL, tc.cfg)
			if _, err := c.Do(context.Background(), &Request{Path: "/x"}, nil); err != nil {
				t.Fatalf("Do: %v", err)
			}
			if got := h.Get("User-Agent"); got != tc.wantUA {
				t.Errorf("User-Agent: got %q, want %q", got, tc.wantUA)
			}
			tel := h.Get("Auth0-Client")
			if !tc.wantTelemetry {
				if tel != "" {
					t.Errorf("Auth0-Client: got %q, want none", tel)
				}
				return
			}
			raw, err := base64.StdEncoding.DecodeString(tel)
			if err != nil {
				t.Fatalf("Auth0-Client %q is not std base64: %v", tel, err)
			}
			want := `{"name":"tokengate","version":"` + client.Version + `","env":{"go":"` + runtime.Version() + `"}}`
			if string(raw) != want {
				t.Errorf("Auth0-Client JSON: got %s, want %s", raw, want)
			}
		})
	}
}

func TestDoDecodesOut(t *testing.T) {
	srv, _ := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/json":
			io.WriteString(w, `{"a":1}`)
		case "/text":
			io.WriteString(w, "We've just sent you an email to reset your password.")
		case "/empty":
			w.WriteHeader(http.StatusNoContent)
		case "/bad":
			io.WriteString(w, `{"a":"x"}`)
		}
	})
	c := newTestClient(t, srv.URL, client.Config{})
	ctx := context.Background()
	t.Run("json", func(t *testing.T) {
		var out struct{ A int }
		if _, err := c.Do(ctx, &Request{Path: "/json"}, &out); err != nil || out.A != 1 {
			t.Errorf("got %+v, %v; want A=1", out, err)
		}
	})
	t.Run("raw bytes", func(t *testing.T) {
		var out []byte
		if _, err := c.Do(ctx, &Request{Path: "/json"}, &out); err != nil || string(out) != `{"a":1}` {
			t.Errorf("got %q, %v; want the body", out, err)
		}
	})
	t.Run("text", func(t *testing.T) {
		var out string
		if _, err := c.Do(ctx, &Request{Path: "/text"}, &out); err != nil || !strings.HasPrefix(out, "We've just sent") {
			t.Errorf("got %q, %v; want the text", out, err)
		}
	})
	t.Run("empty body leaves out alone", func(t *testing.T) {
		out := struct{ A int }{A: 7}
		resp, err := c.Do(ctx, &Request{Path: "/empty"}, &out)
		if err != nil || out.A != 7 || resp.StatusCode != 204 {
			t.Errorf("got %+v, %+v, %v; want A=7, 204", out, resp, err)
		}
	})
	t.Run("nil out", func(t *testing.T) {
		if _, err := c.Do(ctx, &Request{Path: "/json"}, nil); err != nil {
			t.Errorf("got %v, want nil", err)
		}
	})
	t.Run("type mismatch", func(t *testing.T) {
		var out struct{ A int }
		_, err := c.Do(ctx, &Request{Path: "/bad"}, &out)
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			t.Errorf("got %v, want a *json.UnmarshalTypeError", err)
		}
	})
}

func TestDoErrorAnswer(t *testing.T) {
	srv, n := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "abc")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"error":"invalid_grant","error_description":"Invalid authorization code"}`)
	})
	c := newTestClient(t, srv.URL, client.Config{})
	resp, err := c.Do(context.Background(), &Request{Path: "/x"}, nil)
	var e *client.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want *client.Error", err)
	}
	if e.StatusCode != 403 || e.Code != "invalid_grant" || e.Message != "Invalid authorization code" || e.Header.Get("X-Request-Id") != "abc" {
		t.Errorf("got %+v, want 403 invalid_grant with headers", e)
	}
	if resp == nil || resp.StatusCode != 403 {
		t.Errorf("Response: got %+v, want status 403", resp)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("requests: got %d, want 1 (4xx is not retried)", got)
	}
}

func TestResponseSizeLimit(t *testing.T) {
	big := strings.Repeat("x", 2048)
	srv, _ := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" {
			w.(http.Flusher).Flush() // no Content-Length
		}
		if r.URL.Path == "/error" {
			w.WriteHeader(500)
		}
		io.WriteString(w, `"`+big+`"`)
	})
	c := newTestClient(t, srv.URL, client.Config{MaxResponseSize: 1024, MaxRetries: client.NoRetries})
	for _, path := range []string{"/length", "/chunked"} {
		t.Run(path, func(t *testing.T) {
			var out string
			_, err := c.Do(context.Background(), &Request{Path: path}, &out)
			if !errors.Is(err, client.ErrResponseTooLarge) {
				t.Errorf("got %v, want client.ErrResponseTooLarge", err)
			}
			if out != "" {
				t.Errorf("out: got %d bytes, want none", len(out))
			}
		})
	}
	t.Run("error body truncated", func(t *testing.T) {
		_, err := c.Do(context.Background(), &Request{Path: "/error"}, nil)
		var e *client.Error
		if !errors.As(err, &e) || len(e.Body) != 1024 {
			t.Errorf("got %v (body %d bytes), want *client.Error with 1024 bytes", err, len(e.Body))
		}
	})
}

func TestRedirectNotFollowed(t *testing.T) {
	var other atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { other.Add(1) }))
	defer target.Close()
	srv, _ := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/steal", http.StatusTemporaryRedirect)
	})
	c := newTestClient(t, srv.URL, client.Config{})
	_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/oauth/token", Form: url.Values{"client_secret": {"s3cr3t-value"}}}, nil)
	var e *client.Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusTemporaryRedirect {
		t.Errorf("got %v, want *client.Error with status 307", err)
	}
	if got := other.Load(); got != 0 {
		t.Errorf("redirect target got %d requests, want 0", got)
	}
}

func TestRequestValidation(t *testing.T) {
	c := newTestClient(t, "https://tenant.auth0.com", client.Config{})
	cases := []struct {
		name string
		req  *Request
	}{
		{"nil request", nil},
		{"relative path", &Request{Path: "oauth/token"}},
		{"double slash", &Request{Path: "//evil.example.com/x"}},
		{"query in path", &Request{Path: "/x?y=1"}},
		{"dot-dot segment", &Request{Path: "/api/v2/users/../clients"}},
		{"escaped dot-dot", &Request{Path: "/api/v2/users/%2e%2e"}},
		{"bad escape", &Request{Path: "/x%zz"}},
		{"bad method", &Request{Method: "get", Path: "/x"}},
		{"JSON and form", &Request{Method: "POST", Path: "/x", JSON: map[string]string{}, Form: url.Values{}}},
		{"unencodable JSON", &Request{Method: "POST", Path: "/x", JSON: func() {}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := c.Do(context.Background(), tc.req, nil); err == nil {
				t.Errorf("got nil error, want one")
			}
		})
	}
	var nilCtx context.Context // the nil-context guard
	if _, err := c.Do(nilCtx, &Request{Path: "/x"}, nil); err == nil {
		t.Errorf("nil context: got nil error, want one")
	}
}

// countingTransport counts the requests sent through it.
type countingTransport struct {
	n    atomic.Int32
	base http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(r)
}

func TestHTTPClientTransportUsed(t *testing.T) {
	srv, _ := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) {})
	tr := &countingTransport{base: srv.Client().Transport}
	c := newTestClient(t, srv.URL, client.Config{HTTPClient: &http.Client{Transport: tr}})
	if _, err := c.Do(context.Background(), &Request{Path: "/x"}, nil); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if got := tr.n.Load(); got != 1 {
		t.Errorf("transport requests: got %d, want 1", got)
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	srv, n := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c := newTestClient(t, srv.URL, client.Config{Timeout: 50 * time.Millisecond, MaxRetries: 1})
	start := time.Now()
	_, err := c.Do(context.Background(), &Request{Path: "/slow"}, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want context.DeadlineExceeded", err)
	}
	if got := n.Load(); got != 2 {
		t.Errorf("requests: got %d, want 2 (a timed-out GET is retried once)", got)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v, want about 100 ms", d)
	}
}

func TestBaseURLWithPathPrefix(t *testing.T) {
	var path string
	srv, _ := counting(t, func(_ int, w http.ResponseWriter, r *http.Request) { path = r.URL.Path })
	c := newTestClient(t, srv.URL+"/prefix/", client.Config{})
	if c.BaseURL() != srv.URL+"/prefix" {
		t.Errorf("BaseURL: got %q, want %q", c.BaseURL(), srv.URL+"/prefix")
	}
	if _, err := c.Do(context.Background(), &Request{Path: "/userinfo"}, nil); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if path != "/prefix/userinfo" {
		t.Errorf("path: got %q, want /prefix/userinfo", path)
	}
}
