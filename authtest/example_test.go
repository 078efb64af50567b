package authtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// A client-credentials token over real HTTP, verified as an API would.
func Example() {
	tenant, err := authtest.NewTenant(authtest.Config{
		Clients: []authtest.Client{{
			ID: "api-tests", Secret: "s3cret",
			Grants: map[string][]string{"https://api.example.com": {"read:items"}},
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer tenant.Close()

	res, err := tenant.Client().PostForm(tenant.URL+"/oauth/token", url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {"api-tests"},
		"client_secret": {"s3cret"},
		"audience":      {"https://api.example.com"},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&body); err != nil {
		log.Fatal(err)
	}

	v, err := verifier.New(verifier.Config{
		Issuer:   tenant.Issuer(),
		Audience: []string{"https://api.example.com"},
		Keys:     tenant.KeySet(),
	})
	if err != nil {
		log.Fatal(err)
	}
	claims, err := v.Verify(context.Background(), body.AccessToken)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.StatusCode, body.TokenType)
	fmt.Println("sub:", claims.Subject)
	fmt.Println("scope:", claims.Scope)
	// Output:
	// 200 Bearer
	// sub: api-tests@clients
	// scope: [read:items]
}

// Mint makes the tokens a verifier must refuse.
func ExampleTenant_Mint() {
	tenant, err := authtest.NewTenant(authtest.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer tenant.Close()
	v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{"https://api.example.com"}, Keys: tenant})
	if err != nil {
		log.Fatal(err)
	}
	claims := map[string]any{"sub": "auth0|alice", "aud": "https://api.example.com"}
	for _, tok := range []authtest.Token{
		{Claims: claims},
		{Claims: claims, ExpiresIn: -time.Minute},
		{Claims: claims, Header: map[string]any{"kid": "unknown"}},
		{Claims: claims, Alg: "HS256", Secret: []byte("a shared secret of 32 bytes or more")},
	} {
		s, err := tenant.Mint(tok)
		if err != nil {
			log.Fatal(err)
		}
		_, err = v.Verify(context.Background(), s)
		fmt.Println(verifier.Reason(err))
	}
	// Output:
	// ok
	// expired
	// unknown_kid
	// algorithm
}

// Fault switches make the JWKS endpoint misbehave, and counters show how
// often a key cache asked.
func ExampleTenant_SetJWKSFault() {
	tenant, err := authtest.NewTenant(authtest.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer tenant.Close()
	client := tenant.Client()
	for _, f := range []authtest.Fault{authtest.FaultDown, authtest.FaultServerError, authtest.FaultRateLimited, authtest.NoFault} {
		tenant.SetJWKSFault(f)
		res, err := client.Get(tenant.JWKSURL())
		if err != nil {
			fmt.Println(f, "connection error")
			continue
		}
		res.Body.Close()
		fmt.Println(f, res.StatusCode)
	}
	fmt.Println("requests:", tenant.JWKSRequests())
	// Output:
	// FaultDown connection error
	// FaultServerError 500
	// FaultRateLimited 429
	// NoFault 200
	// requests: 4
}

// The typed fields of Token mint the access token a handler's test needs:
// organization, permissions, scopes and custom claims, without a claims
// map. Here the handler under test is behind Authenticate and
// RequirePermissions.
func ExampleTenant_MustMint() {
	tenant, err := authtest.NewTenant(authtest.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer tenant.Close()
	v, err := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{"https://api.example.com"}, Keys: tenant})
	if err != nil {
		log.Fatal(err)
	}
	invoices := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := middleware.ClaimsFromContext(r.Context())
		var custom struct {
			Plan string `json:"https://example.com/plan"`
		}
		_ = c.Decode(&custom)
		fmt.Fprintf(w, "%s of %s (%s), plan %s", c.Subject, c.OrgName, c.OrgID, custom.Plan)
	})
	api := httptest.NewServer(middleware.Authenticate(v)(middleware.RequirePermissions("read:invoices")(invoices)))
	defer api.Close()

	for _, perms := range [][]string{{"read:invoices"}, {}} {
		token := tenant.MustMint(authtest.Token{
			Subject:     "auth0|alice",
			Audience:    []string{"https://api.example.com"},
			Scopes:      []string{"openid", "profile"},
			Permissions: perms,
			OrgID:       "org_acme0000000001",
			OrgName:     "acme",
			Custom:      map[string]any{"https://example.com/plan": "gold"},
		})
		req, _ := http.NewRequest(http.MethodGet, api.URL, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			fmt.Println(res.StatusCode) // the refusal's JSON is middleware's business
			continue
		}
		fmt.Println(res.StatusCode, string(body))
	}

	// A custom claim may not stand in for a registered one.
	_, err = tenant.Mint(authtest.Token{Custom: map[string]any{"exp": 0}})
	fmt.Println(err)
	// Output:
	// 200 auth0|alice of acme (org_acme0000000001), plan gold
	// 403
	// authtest: invalid claim: Custom["exp"]: a registered or Auth0 claim, not a custom one: use the typed field (Subject, Audience, Scopes, Permissions, OrgID, OrgName, ExpiresIn, IssuedAt) or Claims
}
