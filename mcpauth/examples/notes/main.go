// Command notes runs an MCP server (streamable HTTP, the go-sdk) protected
// by tokengate's mcpauth, with a local Auth0-like tenant (package
// authtest) that issues its tokens:
//
//	go run ./examples/notes          # serve, print the URLs and tokens to try
//	go run ./examples/notes -demo    # call it with the SDK's client, check, exit
//
// The server's canonical URL is http://127.0.0.1:PORT/mcp: the audience of
// its tokens (RFC 8707). Its protected-resource metadata (RFC 9728) is at
// /.well-known/oauth-protected-resource/mcp and names the tenant as its
// authorization server. Two tools: list_notes needs the scope notes:read,
// add_note needs notes:write. The tenant has two machine-to-machine
// applications: "reader", granted notes:read, and "writer", granted both.
// The verifier's keys come from the tenant's JWKS, found by OpenID Connect
// discovery, as with a real Auth0 tenant.
//
// With -demo, an agent built on the SDK's own client:
//
//  1. gets a token for the writer from the tenant's /oauth/token and calls
//     add_note, then list_notes: both answer;
//  2. connects without a token: the server answers 401 with a
//     WWW-Authenticate challenge naming resource_metadata; the agent
//     fetches that document with the SDK (which checks its resource) and
//     checks that authorization_servers names the tenant's issuer;
//  3. gets a token for the reader and calls add_note: 403 with
//     error="insufficient_scope" and scope="notes:write" (the step-up
//     answer of the MCP authorization specification); list_notes answers.
//
// It prints each step and exits with status 1 if any differs. It needs no
// network beyond loopback.
//
// Flags:
//
//	-addr  listen address of the MCP server (default 127.0.0.1:0)
//	-demo  run the agent's steps, check them, exit
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/mcpauth"
	"github.com/tokengate/tokengate/resource"
	"github.com/tokengate/tokengate/verifier"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address of the MCP server")
	demo := flag.Bool("demo", false, "call the server with the SDK's client, check the answers, exit")
	flag.Parse()
	if err := run(*addr, *demo); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

// secrets of the demo tenant's applications (a throwaway tenant).
var secrets = map[string]string{"reader": "reader-secret", "writer": "writer-secret"}

// setup is what run starts: the tenant, the MCP server and its URLs.
type setup struct {
	tenant *authtest.Tenant
	srv    *http.Server
	mcpURL string
	meta   *resource.Handler
	keys   *jwks.Cache
}

func (s *setup) close() {
	s.srv.Close()
	s.keys.Close()
	s.tenant.Close()
}

func run(addr string, demo bool) error {
	s, err := start(addr)
	if err != nil {
		return err
	}
	defer s.close()
	if demo {
		return runDemo(context.Background(), s)
	}
	fmt.Printf("MCP server:  %s\nmetadata:    %s\nissuer:      %s\n", s.mcpURL, s.meta.URL(), s.tenant.Issuer())
	for _, c := range []string{"reader", "writer"} {
		tok, err := clientToken(context.Background(), s, c)
		if err != nil {
			return err
		}
		fmt.Printf("%s token: %s\n", c, tok)
	}
	fmt.Println("Serving until interrupted (Ctrl-C).")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return nil
}

// start starts the tenant and the MCP server.
func start(addr string) (*setup, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mcpURL := "http://" + ln.Addr().String() + "/mcp"
	cs := []authtest.Client{
		{ID: "reader", Secret: secrets["reader"], GrantTypes: []string{"client_credentials"},
			Grants: map[string][]string{mcpURL: {"notes:read"}}},
		{ID: "writer", Secret: secrets["writer"], GrantTypes: []string{"client_credentials"},
			Grants: map[string][]string{mcpURL: {"notes:read", "notes:write"}}},
	}
	tenant, err := authtest.NewTenant(authtest.Config{Clients: cs, APIs: []string{mcpURL}})
	if err != nil {
		ln.Close()
		return nil, err
	}
	s := &setup{tenant: tenant, mcpURL: mcpURL}
	fail := func(err error) (*setup, error) {
		ln.Close()
		if s.keys != nil {
			s.keys.Close()
		}
		tenant.Close()
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	jwksURL, err := jwks.Discover(ctx, tenant.Issuer(), nil)
	if err != nil {
		return fail(fmt.Errorf("discovering the tenant's JWKS: %w", err))
	}
	if s.keys, err = jwks.New(jwks.Config{URL: jwksURL, Prefetch: 5 * time.Second}); err != nil {
		return fail(err)
	}
	v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{mcpURL}, Keys: s.keys})
	if err != nil {
		return fail(err)
	}
	if s.meta, err = resource.New(resource.Config{
		Resource:             mcpURL,
		AuthorizationServers: []string{tenant.Issuer()},
		ScopesSupported:      []string{"notes:read", "notes:write"},
		ResourceName:         "Notes (tokengate mcpauth example)",
	}); err != nil {
		return fail(err)
	}
	protector, err := mcpauth.New(mcpauth.Config{
		Verifier: v,
		Metadata: s.meta,
		ToolScopes: map[string][]string{
			"list_notes": {"notes:read"},
			"add_note":   {"notes:write"},
		},
	})
	if err != nil {
		return fail(err)
	}
	server := newNotesServer()
	mux := http.NewServeMux()
	protector.Mount(mux, mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server }, nil))
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
	return s, nil
}

// newNotesServer is the MCP server: notes kept in memory, per subject.
func newNotesServer() *mcp.Server {
	var (
		mu    sync.Mutex
		notes = map[string][]string{}
	)
	server := mcp.NewServer(&mcp.Implementation{Name: "notes", Version: "1"}, nil)
	type addIn struct {
		Text string `json:"text" jsonschema:"the note"`
	}
	type notesOut struct {
		Notes []string `json:"notes"`
	}
	mcp.AddTool(server, &mcp.Tool{Name: "add_note", Description: "Adds a note (scope notes:write)"},
		func(_ context.Context, req *mcp.CallToolRequest, in addIn) (*mcp.CallToolResult, notesOut, error) {
			claims, ok := mcpauth.Claims(req.Extra.TokenInfo)
			if !ok {
				return nil, notesOut{}, fmt.Errorf("no verified claims")
			}
			mu.Lock()
			defer mu.Unlock()
			notes[claims.Subject] = append(notes[claims.Subject], in.Text)
			return nil, notesOut{Notes: append([]string(nil), notes[claims.Subject]...)}, nil
		})
	mcp.AddTool(server, &mcp.Tool{Name: "list_notes", Description: "Lists your notes (scope notes:read)"},
		func(_ context.Context, req *mcp.CallToolRequest, _ struct{}) (*mcp.CallToolResult, notesOut, error) {
			claims, ok := mcpauth.Claims(req.Extra.TokenInfo)
			if !ok {
				return nil, notesOut{}, fmt.Errorf("no verified claims")
			}
			mu.Lock()
			defer mu.Unlock()
			return nil, notesOut{Notes: append([]string{}, notes[claims.Subject]...)}, nil
		})
	return server
}
