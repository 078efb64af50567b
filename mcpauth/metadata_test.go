package mcpauth_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/oauthex"
)

// TestMC8Metadata (SECURITY.md MC8): the metadata is served, without a
// token, at the well-known URL with the resource's path inserted (RFC 9728
// section 3.1), the URL every challenge names; the SDK's own client reads
// it, checks its resource, and finds the tenant there.
func TestMC8Metadata(t *testing.T) {
	f := newFixture(t, nil)
	want := strings.TrimSuffix(f.resource, "/mcp") + "/.well-known/oauth-protected-resource/mcp"
	if got := f.meta.URL(); got != want {
		t.Fatalf("metadata URL: got %q, want %q", got, want)
	}
	resp := f.post(t, "", `{"jsonrpc":"2.0","id":1,"method":"ping"}`)
	if ch := resp.Header.Get("WWW-Authenticate"); !strings.Contains(ch, `resource_metadata="`+want+`"`) {
		t.Fatalf("challenge: got %q, want resource_metadata=%q", ch, want)
	}
	challenges, err := oauthex.ParseWWWAuthenticate(resp.Header.Values("WWW-Authenticate"))
	if err != nil || len(challenges) != 1 || challenges[0].Params["resource_metadata"] != want {
		t.Fatalf("the SDK parses the challenge as %+v, %v; want resource_metadata %q", challenges, err, want)
	}
	md, err := oauthex.GetProtectedResourceMetadata(context.Background(), want, f.resource, http.DefaultClient)
	if err != nil {
		t.Fatalf("GetProtectedResourceMetadata: %v", err)
	}
	if md.Resource != f.resource || !slices.Equal(md.AuthorizationServers, []string{f.tenant.Issuer()}) {
		t.Errorf("metadata: got resource %q, servers %q; want %q, [%q]", md.Resource, md.AuthorizationServers, f.resource, f.tenant.Issuer())
	}
	// The well-known path without the resource's path is not this
	// resource's metadata.
	r, err := http.Get(strings.TrimSuffix(want, "/mcp"))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusNotFound {
		t.Errorf("GET %s: got %d, want 404", strings.TrimSuffix(want, "/mcp"), r.StatusCode)
	}
}
