package interop

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/tokengate/tokengate/verifier"
)

// An API protecting the provider's RS256 resource: its verifier takes the
// keys from the provider's JWKS and checks a client-credentials token, its
// organization included.
func Example() {
	ctx := context.Background()
	hc := httpClient()

	// The client's side: a token for the resource.
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

	// The API's side.
	jwksURL, err := discover(ctx, hc, issuer)
	if err != nil {
		fmt.Println(err)
		return
	}
	keys := &fetchedKeys{hc: hc, url: jwksURL.String()}
	if err := keys.refresh(ctx); err != nil {
		fmt.Println(err)
		return
	}
	v, err := verifier.New(verifier.Config{
		Issuer:   issuer,
		Audience: []string{resourceRS256},
		Keys:     keys,
		Types:    []string{"at+jwt"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	claims, err := v.Verify(ctx, tr.AccessToken, verifier.WithOrganization("org_interop"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(claims.ClientID, claims.OrgID, claims.Scope)
	// Output: cc-client org_interop [read:things]
}
