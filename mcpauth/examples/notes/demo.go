package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/modelcontextprotocol/go-sdk/oauthex"
)

// runDemo is the agent of -demo: the three steps of the package comment.
func runDemo(ctx context.Context, s *setup) error {
	failed := 0
	check := func(step string, err error) {
		if err != nil {
			failed++
			fmt.Printf("FAIL  %s: %v\n", step, err)
			return
		}
		fmt.Printf("ok    %s\n", step)
	}

	// 1. A good token: the writer calls add_note and list_notes.
	writer, err := clientToken(ctx, s, "writer")
	if err != nil {
		return err
	}
	check("writer token: add_note answers", func() error {
		a := newAgent(writer)
		cs, err := a.connect(ctx, s.mcpURL)
		if err != nil {
			return err
		}
		defer cs.Close()
		if err := callTool(ctx, cs, "add_note", map[string]any{"text": "buy milk"}); err != nil {
			return err
		}
		return callTool(ctx, cs, "list_notes", map[string]any{})
	}())

	// 2. No token: 401 naming resource_metadata; the metadata names the
	// tenant as authorization server.
	check("no token: 401 with resource_metadata; its authorization_servers name the tenant", func() error {
		a := newAgent("")
		if cs, err := a.connect(ctx, s.mcpURL); err == nil {
			cs.Close()
			return errors.New("connected without a token")
		}
		ans := a.last()
		if ans.status != http.StatusUnauthorized {
			return fmt.Errorf("status %d, want 401", ans.status)
		}
		challenges, err := oauthex.ParseWWWAuthenticate(ans.challenges)
		if err != nil || len(challenges) == 0 {
			return fmt.Errorf("WWW-Authenticate %q: %v", ans.challenges, err)
		}
		metaURL := challenges[0].Params["resource_metadata"]
		if metaURL == "" {
			return fmt.Errorf("WWW-Authenticate %q has no resource_metadata", ans.challenges)
		}
		fmt.Printf("      WWW-Authenticate: %s\n", strings.Join(ans.challenges, ", "))
		md, err := oauthex.GetProtectedResourceMetadata(ctx, metaURL, s.mcpURL, http.DefaultClient)
		if err != nil {
			return fmt.Errorf("fetching %s: %w", metaURL, err)
		}
		if !slices.Contains(md.AuthorizationServers, s.tenant.Issuer()) {
			return fmt.Errorf("authorization_servers %q do not name the tenant %q", md.AuthorizationServers, s.tenant.Issuer())
		}
		fmt.Printf("      %s: authorization_servers %q\n", metaURL, md.AuthorizationServers)
		return nil
	}())

	// 3. Too few scopes: the reader may list but not add.
	reader, err := clientToken(ctx, s, "reader")
	if err != nil {
		return err
	}
	check("reader token: list_notes answers; add_note refused 403 insufficient_scope, scope=notes:write", func() error {
		a := newAgent(reader)
		cs, err := a.connect(ctx, s.mcpURL)
		if err != nil {
			return err
		}
		defer cs.Close()
		if err := callTool(ctx, cs, "list_notes", map[string]any{}); err != nil {
			return err
		}
		// The SDK's client closes the session after a refused call.
		if err := callTool(ctx, cs, "add_note", map[string]any{"text": "x"}); err == nil {
			return errors.New("add_note answered")
		}
		ans := a.last()
		ch := strings.Join(ans.challenges, ", ")
		if ans.status != http.StatusForbidden || !strings.Contains(ch, `error="insufficient_scope"`) ||
			!strings.Contains(ch, `scope="notes:write"`) || !strings.Contains(ch, `resource_metadata="`+s.meta.URL()+`"`) {
			return fmt.Errorf("got %d %q, want 403 insufficient_scope, scope notes:write, resource_metadata", ans.status, ch)
		}
		fmt.Printf("      WWW-Authenticate: %s\n", ch)
		return nil
	}())

	if failed > 0 {
		return fmt.Errorf("%d of 3 steps failed", failed)
	}
	fmt.Println("all 3 steps passed")
	return nil
}

// callTool calls a tool and treats a tool error as an error.
func callTool(ctx context.Context, cs *mcp.ClientSession, name string, args map[string]any) error {
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if res.IsError {
		return fmt.Errorf("%s: tool error", name)
	}
	out, _ := json.Marshal(res.StructuredContent)
	fmt.Printf("      %s -> %s\n", name, out)
	return nil
}

// agent is an MCP client (the SDK's) whose transport sends a bearer token
// and keeps the status and challenges of the last POST answer.
type agent struct {
	token string
	mu    sync.Mutex
	ans   answer
}

type answer struct {
	status     int
	challenges []string
}

func newAgent(token string) *agent { return &agent{token: token} }

func (a *agent) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if a.token != "" {
		r.Header.Set("Authorization", "Bearer "+a.token)
	}
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && r.Method == http.MethodPost {
		a.mu.Lock()
		a.ans = answer{resp.StatusCode, resp.Header.Values("WWW-Authenticate")}
		a.mu.Unlock()
	}
	return resp, err
}

func (a *agent) last() answer {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ans
}

func (a *agent) connect(ctx context.Context, endpoint string) (*mcp.ClientSession, error) {
	client := mcp.NewClient(&mcp.Implementation{Name: "notes-agent", Version: "1"}, nil)
	return client.Connect(ctx, &mcp.StreamableClientTransport{
		Endpoint:             endpoint,
		HTTPClient:           &http.Client{Transport: a},
		MaxRetries:           -1,
		DisableStandaloneSSE: true,
	}, nil)
}

// clientToken asks the tenant's /oauth/token for an access token of the
// application id (client credentials) for the MCP server.
func clientToken(ctx context.Context, s *setup, id string) (string, error) {
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {id},
		"client_secret": {secrets[id]},
		"audience":      {s.mcpURL},
	}
	base := strings.TrimSuffix(s.tenant.Issuer(), "/")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&body); err != nil {
		return "", fmt.Errorf("token endpoint: status %d: %w", resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK || body.AccessToken == "" {
		return "", fmt.Errorf("token endpoint: status %d: %s", resp.StatusCode, body.Error)
	}
	return body.AccessToken, nil
}
