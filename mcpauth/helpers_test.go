package mcpauth_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/mcpauth"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/resource"
	"github.com/tokengate/tokengate/verifier"
)

// fixture is an authtest tenant, an MCP server behind a Protector on a real
// listener, and what the tests need to reach them.
type fixture struct {
	tenant   *authtest.Tenant
	srv      *httptest.Server
	resource string // http://127.0.0.1:port/mcp
	meta     *resource.Handler
	prot     *mcpauth.Protector
	calls    *callLog
}

// callLog records what the tools saw: the UserID and subject of each call.
type callLog struct {
	mu    sync.Mutex
	users []string
}

func (l *callLog) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.users = append(l.users, s)
}

func (l *callLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.users)
}

type echoIn struct {
	Text string `json:"text"`
}

type echoOut struct {
	Text string `json:"text"`
	User string `json:"user"`
}

// newServer returns the MCP server of the tests: "echo" (any verified
// token), "admin" (scope admin:write in the tests' Config) and "report".
func newServer(log *callLog) *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "test", Version: "1"}, nil)
	tool := func(ctx context.Context, req *mcp.CallToolRequest, in echoIn) (*mcp.CallToolResult, echoOut, error) {
		c, ok := mcpauth.Claims(req.Extra.TokenInfo)
		if !ok {
			return nil, echoOut{}, fmt.Errorf("no claims")
		}
		log.add(req.Extra.TokenInfo.UserID)
		return nil, echoOut{Text: in.Text, User: c.Subject}, nil
	}
	for _, name := range []string{"echo", "admin", "report"} {
		mcp.AddTool(s, &mcp.Tool{Name: name, Description: name}, tool)
	}
	return s
}

// newFixture starts a tenant and the MCP server; edit adjusts the Config
// (Verifier and Metadata are set; ToolScopes is {"admin": {"admin:write"}}).
func newFixture(t testing.TB, edit func(*fixture, *mcpauth.Config)) *fixture {
	t.Helper()
	tenant, err := authtest.NewTenant(authtest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tenant.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{tenant: tenant, resource: "http://" + ln.Addr().String() + "/mcp", calls: &callLog{}}
	f.meta, err = resource.New(resource.Config{
		Resource:             f.resource,
		AuthorizationServers: []string{tenant.Issuer()},
		ScopesSupported:      []string{"admin:write", "report:read"},
	})
	if err != nil {
		t.Fatal(err)
	}
	v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{f.resource, "https://other.example.com/"}, Keys: tenant})
	if err != nil {
		t.Fatal(err)
	}
	cfg := mcpauth.Config{Verifier: v, Metadata: f.meta, ToolScopes: map[string][]string{"admin": {"admin:write"}}}
	if edit != nil {
		edit(f, &cfg)
	}
	f.prot, err = mcpauth.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	server := newServer(f.calls)
	mux := http.NewServeMux()
	f.prot.Mount(mux, mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server }, nil))
	f.srv = httptest.NewUnstartedServer(mux)
	f.srv.Listener.Close()
	f.srv.Listener = ln
	f.srv.Start()
	t.Cleanup(f.srv.Close)
	return f
}

// token mints an access token for aud (default the resource) with scopes.
func (f *fixture) token(sub, aud string, scopes ...string) string {
	if aud == "" {
		aud = f.resource
	}
	return f.tenant.AccessToken(sub, aud, scopes...)
}

// recorder is an http.RoundTripper that sets the Authorization header and
// keeps the status and WWW-Authenticate of every answer.
type recorder struct {
	token string
	mu    sync.Mutex
	seen  []answer
}

type answer struct {
	method    string
	status    int
	challenge string
}

func (rt *recorder) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if rt.token != "" {
		r.Header.Set("Authorization", "Bearer "+rt.token)
	}
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	rt.mu.Lock()
	rt.seen = append(rt.seen, answer{r.Method, resp.StatusCode, resp.Header.Get("WWW-Authenticate")})
	rt.mu.Unlock()
	return resp, nil
}

// last returns the last answer of a POST.
func (rt *recorder) last() answer {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	for i := len(rt.seen) - 1; i >= 0; i-- {
		if rt.seen[i].method == http.MethodPost {
			return rt.seen[i]
		}
	}
	return answer{}
}

// connect opens a session with the SDK's own client, sending token.
func (f *fixture) connect(t testing.TB, token string) (*mcp.ClientSession, *recorder, error) {
	t.Helper()
	rt := &recorder{token: token}
	client := mcp.NewClient(&mcp.Implementation{Name: "test-client", Version: "1"}, nil)
	cs, err := client.Connect(context.Background(), &mcp.StreamableClientTransport{
		Endpoint:             f.resource,
		HTTPClient:           &http.Client{Transport: rt},
		MaxRetries:           -1,
		DisableStandaloneSSE: true,
	}, nil)
	if err == nil {
		t.Cleanup(func() { cs.Close() })
	}
	return cs, rt, err
}

// post sends body to the MCP endpoint as a raw POST with token, as a
// client that does not use the SDK would.
func (f *fixture) post(t testing.TB, token, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.resource, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func readAll(t testing.TB, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// events records the Observer's events.
type events struct {
	mu  sync.Mutex
	all []middleware.Event
}

func (e *events) observer() middleware.Observer {
	return middleware.ObserverFunc(func(_ context.Context, ev middleware.Event) {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.all = append(e.all, ev)
	})
}

// last returns the last event's outcome and status.
func (e *events) last() (string, int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.all) == 0 {
		return "", -1
	}
	ev := e.all[len(e.all)-1]
	return ev.Outcome, ev.Status
}

// downKeys is a key source that cannot provide keys.
type downKeys struct{}

func (downKeys) Key(context.Context, string, string) (*verifier.Key, error) {
	return nil, fmt.Errorf("jwks endpoint down: %w", verifier.ErrKeysUnavailable)
}

// newMetaFor returns metadata for res naming one authorization server.
func newMetaFor(t testing.TB, res string) *resource.Handler {
	t.Helper()
	h, err := resource.New(resource.Config{Resource: res, AuthorizationServers: []string{"https://tenant.example.com/"}})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// count returns how many events had outcome and status.
func (e *events) count(outcome string, status int) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, ev := range e.all {
		if ev.Outcome == outcome && ev.Status == status {
			n++
		}
	}
	return n
}
