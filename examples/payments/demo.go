package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/tokengate/tokengate/authtest"
)

// The IBANs of the demo.
const (
	alice    = "DE02100100109307118603"
	merchant = "DE89370400440532013000"
	other    = "FR7630006000011234567890189"
)

// demoRun is the client side of the example.
type demoRun struct {
	hc     *http.Client
	tenant *authtest.Tenant
	api    string
}

// demoCase is one call: a description, the path, the token (none when
// empty) and the expected status and error code.
type demoCase struct {
	desc, path, token string
	status            int
	code              string
}

func payment(from, amount string, actions ...string) map[string]any {
	return map[string]any{
		"type": "payment_initiation", "actions": actions, "locations": []string{audience},
		"instructedAmount": map[string]string{"currency": "EUR", "amount": amount},
		"creditorName":     "Merchant A", "creditorAccount": map[string]string{"iban": merchant},
		"debtorAccount": map[string]string{"iban": from},
	}
}

// cases mints the tokens of each case: what the tenant would issue after
// the logins and authorization requests described.
func (d *demoRun) cases(now time.Time) ([]demoCase, error) {
	base := authtest.Token{Claims: map[string]any{"sub": "auth0|alice", "aud": audience}}
	mfa := authtest.MultiFactor(now.Add(-time.Minute))
	pwd := authtest.Authentication{AMR: []string{"pwd"}, Time: now.Add(-time.Minute)}
	staleMFA := authtest.MultiFactor(now.Add(-time.Hour))
	type spec struct {
		desc, path string
		tok        *authtest.Token
		status     int
		code       string
	}
	tok := func(a authtest.Authentication, details ...any) *authtest.Token {
		t := base.WithAuthentication(a).WithAuthorizationDetails(details...)
		return &t
	}
	paths := "/accounts/" + alice + "/payments"
	specs := []spec{
		{"no token", paths, nil, 401, "unauthorized"},
		{"password login only (no MFA)", paths, tok(pwd, payment(alice, "120.00", "initiate")), 401, "insufficient_user_authentication"},
		{"MFA an hour ago", paths, tok(staleMFA, payment(alice, "120.00", "initiate")), 401, "insufficient_user_authentication"},
		{"MFA, detail for another account", paths, tok(mfa, payment(other, "120.00", "initiate")), 403, "access_denied"},
		{"MFA, amount over the API's limit", paths, tok(mfa, payment(alice, "10000.01", "initiate")), 403, "access_denied"},
		{"MFA, detail without the initiate action", paths, tok(mfa, payment(alice, "120.00", "status")), 403, "access_denied"},
		{"MFA, no authorization_details", paths, loginOnly(base, mfa), 403, "access_denied"},
		{"MFA, a detail without type", paths, tok(mfa, map[string]any{"actions": []string{"initiate"}}), 401, "invalid_token"},
		{"MFA, a detail of a type the API does not accept", paths, tok(mfa, payment(alice, "120.00", "initiate"), map[string]any{"type": "account_information"}), 401, "invalid_token"},
		{"MFA, detail covers the payment", paths, tok(mfa, payment(alice, "120.00", "initiate", "status")), 200, ""},
	}
	out := make([]demoCase, len(specs))
	for i, s := range specs {
		out[i] = demoCase{desc: s.desc, path: s.path, status: s.status, code: s.code}
		if s.tok == nil {
			continue
		}
		t, err := d.tenant.Mint(*s.tok)
		if err != nil {
			return nil, err
		}
		out[i].token = t
	}
	return out, nil
}

func loginOnly(base authtest.Token, a authtest.Authentication) *authtest.Token {
	t := base.WithAuthentication(a)
	return &t
}

// run makes each call and checks its answer.
func (d *demoRun) run(ctx context.Context, out io.Writer, cases []demoCase) error {
	failed := 0
	for i, c := range cases {
		status, code, challenge, err := d.call(ctx, c)
		if err != nil {
			return err
		}
		mark := "ok  "
		if status != c.status || code != c.code {
			mark, failed = "FAIL", failed+1
		}
		fmt.Fprintf(out, "%s %2d. POST %s, %s -> %d %s (want %d %s)\n", mark, i+1, c.path, c.desc, status, code, c.status, c.code)
		if challenge != "" && status == 401 && code == "insufficient_user_authentication" {
			fmt.Fprintf(out, "         WWW-Authenticate: %s\n", challenge)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d answers not as expected", failed, len(cases))
	}
	fmt.Fprintf(out, "all %d answers as expected\n", len(cases))
	return nil
}

func (d *demoRun) call(ctx context.Context, c demoCase) (status int, code, challenge string, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.api+c.path, nil)
	if err != nil {
		return 0, "", "", err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := d.hc.Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer resp.Body.Close()
	var body struct {
		Error string `json:"error"`
	}
	if resp.StatusCode != http.StatusOK {
		json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&body)
	}
	return resp.StatusCode, body.Error, resp.Header.Get("WWW-Authenticate"), nil
}

// print writes a curl command per case.
func (d *demoRun) print(out io.Writer, cases []demoCase) {
	fmt.Fprintf(out, "Payment API on %s (tokens valid for the tenant's token lifetime; the MFA ones for 5 minutes of step-up)\n", d.api)
	for i, c := range cases {
		fmt.Fprintf(out, "\n# %d. %s: expect %d %s\n", i+1, c.desc, c.status, c.code)
		if c.token == "" {
			fmt.Fprintf(out, "curl -si -X POST %s%s\n", d.api, c.path)
			continue
		}
		fmt.Fprintf(out, "curl -si -X POST %s%s -H 'Authorization: Bearer %s'\n", d.api, c.path, c.token)
	}
}
