package exchange_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"

	"golang.org/x/oauth2"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/authentication"
	"github.com/tokengate/tokengate/exchange"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// An API handler calls a downstream API as its caller: the caller's token
// is exchanged once (cached per caller), and the TokenSource plugs into an
// ordinary HTTP client.
func ExampleExchanger_TokenSource() {
	tenant, err := authtest.NewTenant(authtest.Config{
		Clients: []authtest.Client{{ID: "api", Secret: "api-secret", GrantTypes: []string{authtest.GrantTokenExchange, authtest.GrantPassword}}},
		Users:   []authtest.User{{ID: "alice", Email: "alice@example.com", Password: "pw"}},
		APIs:    []string{"https://api.example.com", "https://downstream.example.com"},
		// The tenant's Custom Token Exchange profile (see the package
		// documentation for the Auth0 setup).
		CustomTokenTypes: []string{"urn:acme:api-access-token"},
	})
	if err != nil {
		panic(err)
	}
	defer tenant.Close()
	api, _ := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{"https://api.example.com"}, Keys: tenant})
	down, _ := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{"https://downstream.example.com"}, Keys: tenant})
	auth, _ := authentication.New(tenant.URL, authentication.Config{ClientID: "api", ClientSecret: "api-secret",
		HTTP: client.Config{HTTPClient: tenant.Client()}})
	ex, err := exchange.New(exchange.Config{Client: auth, SubjectTokenType: "urn:acme:api-access-token"})
	if err != nil {
		panic(err)
	}

	// The downstream API accepts tokens for its own audience only.
	downstream := httptest.NewServer(middleware.Authenticate(down)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := middleware.ClaimsFromContext(r.Context())
		fmt.Fprintf(w, "downstream sees %s via %s", c.Subject, c.AuthorizedParty)
	})))
	defer downstream.Close()

	h := middleware.Authenticate(api)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ts := ex.TokenSource(r.Context(), exchange.Request{Audience: "https://downstream.example.com"})
		resp, err := oauth2.NewClient(r.Context(), ts).Get(downstream.URL)
		if err != nil {
			http.Error(w, "downstream unavailable", http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		fmt.Fprintf(w, "%s: %s", resp.Status, body)
	}))

	// Alice logs in to the API (the password grant of the test tenant).
	resp, err := tenant.Client().PostForm(tenant.URL+"/oauth/token", url.Values{"grant_type": {"password"},
		"client_id": {"api"}, "client_secret": {"api-secret"}, "username": {"alice@example.com"}, "password": {"pw"},
		"audience": {"https://api.example.com"}})
	if err != nil {
		panic(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	decodeJSON(resp, &tok)

	r := httptest.NewRequest(http.MethodGet, "/report", nil)
	r.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Body.String())
	// Output: 200 OK: downstream sees auth0|alice via api
}
