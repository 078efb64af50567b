package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// step is one request of the demo.
type step struct {
	about        string
	path         string
	token, label string // the bearer token and how it is printed; "" for none
	want         int
	// before runs first, to change the tenant (remove a member); it
	// returns what it did, for the report.
	before func() (string, error)
}

// localSteps logs alice and dave in to acme and lists the requests.
func localSteps(ctx context.Context, t *tenant, v *verifier.Verifier) ([]step, error) {
	alice, err := t.login(ctx, "alice@example.com", "alice-password", "acme")
	if err != nil {
		return nil, err
	}
	dave, err := t.login(ctx, "dave@example.com", "dave-password", "acme")
	if err != nil {
		return nil, err
	}
	// Dave leaves acme; his token does not change and still verifies:
	// only the live membership check can refuse it.
	removeDave := func() (string, error) {
		if err := t.local.RemoveMember("acme", "dave"); err != nil {
			return "", err
		}
		claims, err := v.Verify(ctx, dave)
		if err != nil {
			return "", fmt.Errorf("dave's token: %w", err)
		}
		return fmt.Sprintf("dave removed from acme; his token still verifies (org_id %s, expires in %s)",
			claims.OrgID, time.Until(claims.ExpiresAt).Round(time.Minute)), nil
	}
	return []step{
		{about: "no token", path: "/orgs/acme/me", want: 401},
		{about: "alice, her organization", path: "/orgs/acme/me", token: alice, label: "$ALICE", want: 200},
		{about: "alice, her organization by ID", path: "/orgs/" + acme.ID + "/me", token: alice, label: "$ALICE", want: 200},
		{about: "alice, another organization", path: "/orgs/globex/me", token: alice, label: "$ALICE", want: 403},
		{about: "dave, removed from acme after his token was issued", path: "/orgs/acme/me", token: dave, label: "$DAVE", want: 403,
			before: removeDave},
	}, nil
}

// realSteps are the requests that need no setup of the real tenant: the
// token's own organization (200) and another one (403).
func realSteps(ctx context.Context, v *verifier.Verifier, userToken string) ([]step, error) {
	steps := []step{{about: "no token", path: "/orgs/any/me", want: 401}}
	if userToken == "" {
		return steps, nil
	}
	// The API's own verifier tells which organization the token is of.
	claims, err := v.Verify(ctx, userToken)
	if err != nil {
		return nil, fmt.Errorf("-token: %w", err)
	}
	if claims.OrgID == "" {
		return nil, errors.New("-token has no org_id: log the user in to an organization")
	}
	return append(steps,
		step{about: "your token, its organization", path: "/orgs/" + claims.OrgID + "/me", token: userToken, label: "$TOKEN", want: 200},
		step{about: "your token, another organization", path: "/orgs/org_tokengateNoSuchOrg/me", token: userToken, label: "$TOKEN", want: 403},
	), nil
}

// runDemo sends the steps, prints each answer, and fails unless every
// status is the expected one.
func runDemo(ctx context.Context, out io.Writer, apiURL string, t *tenant, v *verifier.Verifier, userToken string) error {
	var steps []step
	var err error
	if t.local != nil {
		steps, err = localSteps(ctx, t, v)
	} else {
		steps, err = realSteps(ctx, v, userToken)
	}
	if err != nil {
		return err
	}
	hc := &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{}} // no proxy: loopback only
	defer hc.CloseIdleConnections()
	failed := 0
	for _, s := range steps {
		if s.before != nil {
			did, err := s.before()
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "--   %s\n", did)
		}
		status, body, err := get(ctx, hc, apiURL+s.path, s.token)
		mark, got := "ok", fmt.Sprint(status)
		if err != nil {
			got = "error: " + err.Error()
		}
		if err != nil || status != s.want {
			mark = "BAD"
			failed++
		}
		label := s.label
		if label == "" {
			label = "-"
		}
		fmt.Fprintf(out, "%-3s  GET %-34s %-7s -> %-3s want %d  %s\n", mark, s.path, label, got, s.want, s.about)
		if err == nil {
			fmt.Fprintf(out, "       %s\n", body)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d answers were not the expected ones", failed, len(steps))
	}
	fmt.Fprintf(out, "all %d answers as expected\n", len(steps))
	if t.local == nil && userToken == "" {
		fmt.Fprintln(out, "(pass a user's access token with -token to also check the organization routes)")
	}
	return nil
}

// get sends one request and returns the status and the compacted JSON body.
func get(ctx context.Context, hc *http.Client, url, token string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return 0, "", err
	}
	var body bytes.Buffer
	if json.Compact(&body, raw) != nil {
		return resp.StatusCode, fmt.Sprintf("(%d bytes, not JSON)", len(raw)), nil
	}
	return resp.StatusCode, body.String(), nil
}

// printTry prints how to call the API by hand.
func printTry(ctx context.Context, out io.Writer, apiURL string, t *tenant) error {
	url := apiURL + "/orgs/acme/me"
	if t.local == nil {
		fmt.Fprintf(out, "Log a user in to one of your organizations with an application of the tenant, for the\n"+
			"audience %s, and export the access token as TOKEN. Then:\n"+
			"  # 200: your profile and roles in the organization, from the Management API\n"+
			"  curl -i -H \"Authorization: Bearer $TOKEN\" %s/orgs/YOUR_ORG_ID/me\n", t.audience, apiURL)
		return nil
	}
	alice, err := t.login(ctx, "alice@example.com", "alice-password", "acme")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "A fresh access token of alice, organization acme, valid for an hour (from a throwaway tenant):\n"+
		"  export TOKEN='%s'\n\n"+
		"  # 200: alice's profile and her roles in acme, read from the Management API\n"+
		"  curl -i -H \"Authorization: Bearer $TOKEN\" %s\n"+
		"  # 403: a token of acme is refused by globex\n"+
		"  curl -i -H \"Authorization: Bearer $TOKEN\" %s/orgs/globex/me\n", alice, url, apiURL)
	return nil
}
