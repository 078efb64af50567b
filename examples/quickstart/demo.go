package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// call is one request to the API: sent by -demo, printed as a curl command
// otherwise.
type call struct {
	method, path string
	token        *bearer // nil: no Authorization header
	want         int     // expected status; 0 when it depends on the tenant's setup
	about        string
	demoOnly     bool // not printed as a curl command
}

// calls lists the requests for this provider. userToken is the -token
// flag, for a real tenant.
func (p *idp) calls(userToken string) []call {
	if p.tokens != nil {
		t := func(name string) *bearer {
			for _, b := range p.tokens {
				if b.name == name {
					return b
				}
			}
			panic("no token " + name)
		}
		return []call{
			{"GET", "/public", nil, 200, "public route, no token", false},
			{"GET", "/api/items", nil, 401, "no token", false},
			{"GET", "/api/items", t("TAMPERED"), 401, "bad signature", false},
			{"GET", "/api/items", t("EXPIRED"), 401, "expired token", false},
			{"GET", "/api/me", t("ALICE"), 200, "any valid token: the claims", false},
			{"GET", "/api/items", t("ALICE"), 200, "scope read:items", false},
			{"GET", "/api/items", t("SERVICE"), 200, "client credentials, scope read:items", false},
			{"POST", "/api/items", t("ALICE"), 201, "permission write:items (editor)", false},
			{"POST", "/api/items", t("BOB"), 403, "missing permission write:items (reader)", false},
			{"GET", "/orgs/acme/items", t("ALICE"), 200, "organization by name", false},
			{"GET", "/orgs/" + acme.ID + "/items", t("ALICE"), 200, "organization by ID", false},
			{"GET", "/orgs/globex/items", t("ALICE"), 403, "token of another organization", false},
			{"GET", "/orgs/acme/items", t("SERVICE"), 403, "token of no organization", false},
			{"GET", "/metrics", nil, 200, "Prometheus metrics (tokengate_* series)", false},
		}
	}
	// A real tenant: we cannot mint tokens, and what the scope, permission
	// and organization routes answer depends on how the tenant is set up.
	tok := &bearer{name: "TOKEN", value: userToken}
	calls := []call{
		{"GET", "/public", nil, 200, "public route, no token", false},
		{"GET", "/api/me", nil, 401, "no token", false},
		{"GET", "/api/me", &bearer{value: "not-a-jwt"}, 401, "malformed token", false},
		{"GET", "/api/me", tok, 200, "your token: the claims", false},
	}
	if userToken != "" {
		calls = append(calls, call{"GET", "/api/me", &bearer{name: "TAMPERED", value: tamper(userToken)}, 401,
			"your token, signature changed", true})
	}
	return append(calls,
		call{"GET", "/api/items", tok, 0, "200 with scope read:items, else 403", false},
		call{"POST", "/api/items", tok, 0, "201 with permission write:items (RBAC), else 403", false},
		call{"GET", "/orgs/YOUR_ORG_ID/items", tok, 0, "200 when the token is of that organization, else 403", false},
	)
}

// runDemo sends the calls that have an expected status and prints each
// answer. It fails when any status is not the expected one.
func runDemo(ctx context.Context, out io.Writer, apiURL string, calls []call) error {
	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{}} // no proxy: loopback only
	defer hc.CloseIdleConnections()
	sent, failed, skipped := 0, 0, 0
	for _, c := range calls {
		if c.want == 0 || c.token != nil && c.token.value == "" {
			skipped++
			continue
		}
		sent++
		status, code, err := send(ctx, hc, apiURL, c)
		mark := "ok"
		if err != nil || status != c.want {
			mark = "BAD"
			failed++
		}
		got := fmt.Sprintf("%d %s", status, code)
		if err != nil {
			got = "error: " + err.Error()
		}
		fmt.Fprintf(out, "%-3s  %-4s %-32s %-9s -> %-23s want %d  %s\n", mark, c.method, c.path, label(c.token), got, c.want, c.about)
	}
	if skipped > 0 {
		fmt.Fprintf(out, "(%d requests skipped: they need a token for the API, given with -token, or depend on the tenant's setup)\n", skipped)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d answers were not the expected ones", failed, sent)
	}
	fmt.Fprintf(out, "all %d answers as expected\n", sent)
	return nil
}

// send makes one call and returns the status and the error code of the
// JSON body, if any.
func send(ctx context.Context, hc *http.Client, apiURL string, c call) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, c.method, apiURL+c.path, nil)
	if err != nil {
		return 0, "", err
	}
	if c.token != nil {
		req.Header.Set("Authorization", "Bearer "+c.token.value)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var body struct {
		Error string `json:"error"`
	}
	json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&body) // the code is informative only
	return resp.StatusCode, body.Error, nil
}

func label(b *bearer) string {
	switch {
	case b == nil:
		return "-"
	case b.name == "":
		return b.value
	default:
		return "$" + b.name
	}
}

// printTry prints the tokens and the curl commands of the serving mode.
func printTry(out io.Writer, apiURL string, p *idp, calls []call) {
	if p.tokens != nil {
		fmt.Fprintf(out, "Tokens from the local tenant (valid for an hour):\n")
		for _, b := range p.tokens {
			fmt.Fprintf(out, "  # %s\n  export %s='%s'\n", b.about, b.name, b.value)
		}
		fmt.Fprintf(out, "\nAsk the tenant for a token yourself, as you would ask Auth0:\n"+
			"  curl -s %s/oauth/token -d grant_type=client_credentials -d client_id=%s -d client_secret=%s -d audience=%s\n",
			p.url, clientID, clientSecret, p.audience)
	} else {
		fmt.Fprintf(out, "Get an access token for the API from the tenant, for example with client credentials\n"+
			"(the application needs a client grant for the API), and export its access_token as TOKEN:\n"+
			"  curl -s %s/oauth/token -H 'content-type: application/json' \\\n"+
			"    -d '{\"grant_type\":\"client_credentials\",\"client_id\":\"YOUR_CLIENT_ID\",\"client_secret\":\"YOUR_CLIENT_SECRET\",\"audience\":\"%s\"}'\n"+
			"  export TOKEN='...'\n", p.url, p.audience)
	}
	fmt.Fprintf(out, "\nTry these; each comment gives the expected status:\n")
	for _, c := range calls {
		if c.demoOnly {
			continue
		}
		want := fmt.Sprint(c.want)
		if c.want == 0 {
			want = "?"
		}
		var args []string
		if c.method != http.MethodGet {
			args = append(args, "-X", c.method)
		}
		if c.token != nil {
			args = append(args, "-H", `"Authorization: Bearer `+label(c.token)+`"`)
		}
		fmt.Fprintf(out, "  # %s: %s\n  curl -i %s%s\n", want, c.about, strings.Join(append(args, ""), " "), apiURL+c.path)
	}
}
