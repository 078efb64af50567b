package resource_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/resource"
	"github.com/tokengate/tokengate/verifier"
)

// An MCP server at https://api.example.com/mcp: the metadata at the
// path-suffixed well-known URL, and every refusal of the protected route
// pointing at it.
func Example() {
	meta, err := resource.New(resource.Config{
		Resource:             "https://api.example.com/mcp",
		AuthorizationServers: []string{"https://tenant.example.com/"},
		ScopesSupported:      []string{"read:items"},
	})
	if err != nil {
		panic(err)
	}
	secret, err := verifier.Secret([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		panic(err)
	}
	v, err := verifier.New(verifier.Config{Issuer: "https://tenant.example.com/",
		Audience: []string{"https://api.example.com/mcp"}, Algorithms: []string{"HS256"}, Keys: secret})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	meta.Mount(mux)
	auth := middleware.Authenticate(v, middleware.WithResourceMetadata(meta.URL()))
	mux.Handle("/mcp", auth(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/mcp")
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("WWW-Authenticate"))

	resp, err = http.Get(srv.URL + meta.Path())
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, meta.Path())
	fmt.Println(string(body))
	// Output:
	// 401 Bearer realm="api", resource_metadata="https://api.example.com/.well-known/oauth-protected-resource/mcp"
	// 200 /.well-known/oauth-protected-resource/mcp
	// {"resource":"https://api.example.com/mcp","authorization_servers":["https://tenant.example.com/"],"scopes_supported":["read:items"],"bearer_methods_supported":["header"]}
}
