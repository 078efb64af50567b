package mcpauth_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/mcpauth"
	"github.com/tokengate/tokengate/resource"
	"github.com/tokengate/tokengate/verifier"
)

// bearer is an http.RoundTripper that sends a fixed bearer token.
type bearer struct{ token string }

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

// An MCP server whose tool "delete_item" needs the scope items:delete,
// called with the SDK's client.
func Example() {
	tenant, err := authtest.NewTenant(authtest.Config{})
	if err != nil {
		panic(err)
	}
	defer tenant.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	// The server's canonical URL: the audience of its tokens.
	mcpURL := "http://" + ln.Addr().String() + "/mcp"

	meta, err := resource.New(resource.Config{
		Resource:             mcpURL,
		AuthorizationServers: []string{tenant.Issuer()},
		ScopesSupported:      []string{"items:delete"},
	})
	if err != nil {
		panic(err)
	}
	v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{mcpURL}, Keys: tenant})
	if err != nil {
		panic(err)
	}
	protector, err := mcpauth.New(mcpauth.Config{
		Verifier:   v,
		Metadata:   meta,
		ToolScopes: map[string][]string{"delete_item": {"items:delete"}},
	})
	if err != nil {
		panic(err)
	}

	server := mcp.NewServer(&mcp.Implementation{Name: "items", Version: "1"}, nil)
	type in struct {
		ID string `json:"id"`
	}
	mcp.AddTool(server, &mcp.Tool{Name: "delete_item"}, func(ctx context.Context, req *mcp.CallToolRequest, args in) (*mcp.CallToolResult, any, error) {
		claims, _ := mcpauth.Claims(req.Extra.TokenInfo)
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: claims.Subject + " deleted " + args.ID}}}, nil, nil
	})
	mux := http.NewServeMux()
	protector.Mount(mux, mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server }, nil))
	srv := httptest.NewUnstartedServer(mux)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	defer srv.Close()

	call := func(scopes ...string) {
		token := tenant.AccessToken("auth0|alice", mcpURL, scopes...)
		client := mcp.NewClient(&mcp.Implementation{Name: "agent", Version: "1"}, nil)
		cs, err := client.Connect(context.Background(), &mcp.StreamableClientTransport{
			Endpoint: mcpURL, HTTPClient: &http.Client{Transport: bearer{token}}, DisableStandaloneSSE: true,
		}, nil)
		if err != nil {
			panic(err)
		}
		defer cs.Close()
		res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "delete_item", Arguments: map[string]any{"id": "42"}})
		if err != nil {
			fmt.Println("refused:", err)
			return
		}
		fmt.Println(res.Content[0].(*mcp.TextContent).Text)
	}
	call("items:read")
	call("items:delete")
	// Output:
	// refused: calling "tools/call": sending "tools/call": Forbidden
	// auth0|alice deleted 42
}
