package interop

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// An API protecting the provider's RS256 resource: it discovers the
// provider's JWKS, keeps it in a jwks.Cache, and puts middleware.Authenticate
// and RequireScopes in front of its handler. A client-credentials token
// from the provider gets through, with its organization checked.
func Example() {
	ctx := context.Background()
	hc := &http.Client{Timeout: 10 * time.Second}

	// The API's side, at start-up.
	jwksURL, err := jwks.Discover(ctx, issuer, hc)
	if err != nil {
		fmt.Println(err)
		return
	}
	keys, err := jwks.New(jwks.Config{URL: jwksURL, HTTPClient: hc, Prefetch: 10 * time.Second})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer keys.Close()
	v, err := verifier.New(verifier.Config{
		Issuer:   issuer,
		Audience: []string{resourceRS256},
		Keys:     keys, // RS256 is the default algorithm
		Types:    []string{"at+jwt"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	things := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := middleware.ClaimsFromContext(r.Context())
		fmt.Fprintln(w, "things for", c.ClientID, "in", c.OrgID)
	})
	mux := http.NewServeMux()
	mux.Handle("GET /things", middleware.RequireScopes("read:things")(things))
	srv := httptest.NewServer(middleware.Authenticate(v,
		middleware.WithVerifyOptions(verifier.WithOrganization("org_interop")))(mux))
	defer srv.Close()

	// The client's side: a token for the resource, then a call.
	form := url.Values{"grant_type": {"client_credentials"}, "resource": {resourceRS256}, "scope": {"read:things"}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, issuer+"/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(ccClient, ccSecret)
	resp, err := hc.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	var tr tokenResponse
	err = json.NewDecoder(io.LimitReader(resp.Body, maxBody)).Decode(&tr)
	resp.Body.Close()
	if err != nil {
		fmt.Println(err)
		return
	}

	for _, token := range []string{tr.AccessToken, "not-a-token"} {
		req, _ = http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/things", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err = srv.Client().Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			fmt.Print(resp.StatusCode, " ", string(body))
		} else {
			fmt.Println(resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
	}
	// Output:
	// 200 things for cc-client in org_interop
	// 401 Bearer realm="api", error="invalid_token", error_description="the access token is malformed"
}
