package jwks_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/jwks"
)

// failTransport fails the test on any request: the refusals must come
// before any I/O.
type failTransport struct{ t *testing.T }

func (f failTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f.t.Errorf("unexpected request to %s", r.URL)
	return nil, errors.New("no I/O expected")
}

// TestFH4DiscoverIssuerMistakes: Discover refuses the issuers verifier.New
// refuses, with the fix, as a configuration error and before any request.
func TestFH4DiscoverIssuerMistakes(t *testing.T) {
	tests := []struct {
		name, issuer, want string
	}{
		{"FH4/bare-auth0-host", "tenant.eu.auth0.com", `issuer "tenant.eu.auth0.com" looks like a host name: an Auth0 issuer is "https://tenant.eu.auth0.com/"`},
		{"FH4/auth0-no-slash", "https://tenant.auth0.com", `issuer "https://tenant.auth0.com" will never equal an Auth0 token's iss: an Auth0 issuer is "https://tenant.auth0.com/"`},
		{"FH4/auth0-http", "http://tenant.auth0.com/", `an Auth0 issuer is "https://tenant.auth0.com/"`},
	}
	hc := &http.Client{Transport: failTransport{t}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := jwks.Discover(context.Background(), tt.issuer, hc)
			if !errors.Is(err, jwks.ErrConfig) {
				t.Fatalf("Discover: %v, want an error wrapping ErrConfig", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %q, want it to contain %q", err, tt.want)
			}
		})
	}
}
