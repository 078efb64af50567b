package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/tokengate/tokengate/authtest"
)

// client is the DPoP client of the example: its key, and where it calls.
type client struct {
	hc     *http.Client
	key    *authtest.DPoPKey
	tenant *authtest.Tenant
	api    string
}

// answer is what a call got back.
type answer struct {
	status int
	code   string // the JSON "error", or "token_type" of a token answer
	nonce  string // the DPoP-Nonce header
	token  string // access_token of a token answer
}

// proof signs a fresh proof of method and u, bound to tok when not empty.
func (c *client) proof(method, u, tok, nonce string) string {
	p, err := c.key.Proof(authtest.Proof{Method: method, URL: u, AccessToken: tok, Nonce: nonce})
	if err != nil {
		panic(err) // the key is ours and valid: signing cannot fail
	}
	return p
}

func (c *client) tokenURL() string { return c.tenant.URL + "/oauth/token" }

func tokenForm() url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {clientSecret}, "audience": {audience}}
}

// getToken asks the tenant for a token bound to the key.
func (c *client) getToken(ctx context.Context) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.tokenURL(), strings.NewReader(tokenForm().Encode()))
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("DPoP", c.proof("POST", c.tokenURL(), "", ""))
	return c.do(req)
}

// call sends GET path to the API with the given Authorization and DPoP
// headers ("" for none).
func (c *client) call(ctx context.Context, path, authorization, proof string) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.api+path, nil)
	if err != nil {
		return answer{}, err
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	if proof != "" {
		req.Header.Set("DPoP", proof)
	}
	return c.do(req)
}

func (c *client) do(req *http.Request) (answer, error) {
	resp, err := c.hc.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	var body struct {
		Error       string `json:"error"`
		TokenType   string `json:"token_type"`
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&body) // informative only
	a := answer{status: resp.StatusCode, code: body.Error, nonce: resp.Header.Get("DPoP-Nonce"), token: body.AccessToken}
	if body.TokenType != "" {
		a.code = "token_type " + body.TokenType
	}
	return a, nil
}

// demo makes the calls and checks each answer.
func (c *client) demo(ctx context.Context, out io.Writer) error {
	failed, sent := 0, 0
	check := func(what string, a answer, want int) answer {
		sent++
		mark, got := "ok", fmt.Sprintf("%d %s", a.status, a.code)
		if a.status != want {
			mark = "BAD"
			failed++
		}
		fmt.Fprintf(out, "%-3s  %-58s -> %-32s want %d\n", mark, what, got, want)
		return a
	}
	tok := check("POST /oauth/token with a DPoP proof", try(c.getToken(ctx)), 200)
	if tok.token == "" {
		return fmt.Errorf("the tenant issued no token: %+v", tok)
	}
	dpopAuth, bearerAuth := "DPoP "+tok.token, "Bearer "+tok.token
	p := c.proof("GET", c.api+"/api/items", tok.token, "")
	check("GET /api/items, DPoP token and proof", try(c.call(ctx, "/api/items", dpopAuth, p)), 200)
	check("GET /api/items, the same proof again (replay)", try(c.call(ctx, "/api/items", dpopAuth, p)), 401)
	check("GET /api/items, the DPoP token as Bearer", try(c.call(ctx, "/api/items", bearerAuth, "")), 401)
	check("GET /api/items, DPoP token without a proof", try(c.call(ctx, "/api/items", dpopAuth, "")), 401)
	check("GET /api/items, proof of POST", try(c.call(ctx, "/api/items", dpopAuth, c.proof("POST", c.api+"/api/items", tok.token, ""))), 401)
	check("GET /api/items, proof of another URL", try(c.call(ctx, "/api/items", dpopAuth, c.proof("GET", c.api+"/api/other", tok.token, ""))), 401)
	check("GET /api/items, proof without ath", try(c.call(ctx, "/api/items", dpopAuth, c.proof("GET", c.api+"/api/items", "", ""))), 401)
	thief, err := authtest.NewDPoPKey("ES256")
	if err != nil {
		return err
	}
	stolen, _ := thief.Proof(authtest.Proof{URL: c.api + "/api/items", AccessToken: tok.token})
	check("GET /api/items, proof signed by another key", try(c.call(ctx, "/api/items", dpopAuth, stolen)), 401)
	first := check("GET /api/nonce/items, proof without nonce", try(c.call(ctx, "/api/nonce/items", dpopAuth, c.proof("GET", c.api+"/api/nonce/items", tok.token, ""))), 401)
	if first.nonce == "" {
		failed++
		fmt.Fprintf(out, "BAD  no DPoP-Nonce header on the use_dpop_nonce answer\n")
	}
	check("GET /api/nonce/items, retry with the DPoP-Nonce", try(c.call(ctx, "/api/nonce/items", dpopAuth, c.proof("GET", c.api+"/api/nonce/items", tok.token, first.nonce))), 200)
	if failed > 0 {
		return fmt.Errorf("%d of %d answers were not the expected ones", failed, sent)
	}
	fmt.Fprintf(out, "all %d answers as expected\n", sent)
	return nil
}

// try puts an error into the answer (status 0), for check to report.
func try(a answer, err error) answer {
	if err != nil {
		return answer{code: "error: " + err.Error()}
	}
	return a
}

// printSteps prints the curl commands of each step, with fresh proofs.
func (c *client) printSteps(ctx context.Context, out io.Writer) error {
	tok, err := c.getToken(ctx)
	if err != nil || tok.token == "" {
		return fmt.Errorf("getting a token: %v %+v", err, tok)
	}
	q := func(s string) string { return "'" + s + "'" }
	fmt.Fprintf(out, "Tenant %s, API %s (DPoPRequired).\n", c.tenant.URL, c.api)
	fmt.Fprintf(out, "Each proof below passes once, within 60 s of now.\n\n")
	fmt.Fprintf(out, "# 1. The client's DPoP key (ES256); tokens bound to it carry its thumbprint as cnf.jkt:\n")
	jwk, _ := json.Marshal(c.key.PublicJWK())
	fmt.Fprintf(out, "#    jwk %s\n#    jkt %s\n\n", jwk, c.key.JKT())
	fmt.Fprintf(out, "# 2. A DPoP-bound token: the proof signs POST %s (expect 200, \"token_type\":\"DPoP\"):\n", c.tokenURL())
	var args []string
	form := tokenForm()
	for _, k := range []string{"grant_type", "client_id", "client_secret", "audience"} {
		args = append(args, "-d "+k+"="+url.QueryEscape(form.Get(k)))
	}
	fmt.Fprintf(out, "curl -s %s -H %s %s\n\n", c.tokenURL(), q("DPoP: "+c.proof("POST", c.tokenURL(), "", "")), strings.Join(args, " "))
	fmt.Fprintf(out, "# The example got this one the same way:\nexport TOKEN=%s\n\n", q(tok.token))
	u := c.api + "/api/items"
	p := c.proof("GET", u, tok.token, "")
	fmt.Fprintf(out, "# 3. The API, with the token and a proof of GET %s bound to it (ath) (expect 200):\n", u)
	fmt.Fprintf(out, "curl -i %s -H \"Authorization: DPoP $TOKEN\" -H %s\n\n", u, q("DPoP: "+p))
	fmt.Fprintf(out, "# 4. The same command again: the proof was used (expect 401 invalid_dpop_proof).\n\n")
	fmt.Fprintf(out, "# 5. The token as a Bearer token: a stolen DPoP token is useless without the key (expect 401 invalid_token):\n")
	fmt.Fprintf(out, "curl -i %s -H \"Authorization: Bearer $TOKEN\"\n\n", u)
	nu := c.api + "/api/nonce/items"
	fmt.Fprintf(out, "# 6. A route with server nonces: without one, 401 use_dpop_nonce and a DPoP-Nonce header;\n")
	fmt.Fprintf(out, "#    sign a new proof with that nonce and retry (go run ./examples/dpop -demo does it).\n")
	fmt.Fprintf(out, "curl -i %s -H \"Authorization: DPoP $TOKEN\" -H %s\n", nu, q("DPoP: "+c.proof("GET", nu, tok.token, "")))
	return nil
}
