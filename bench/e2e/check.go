package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// OtherOrg is an organization none of the tokens belongs to: a server that
// checks organizations answers 403 on its path.
const OtherOrg = "org_0therTenantXXXXX"

// Check sends the server at base (scheme://host:port) the requests that
// tell whether it does its job, before it is timed: every server answers
// 200 to the fixture's good token and to a token of s.Tokens on Path(s.Org);
// protected servers answer 401 to an expired token, to a token for another
// audience and to a request without a token (go-jwt-middleware v2 answers
// 400 to the last); a server that checks organizations answers 403 to the
// good token on Path(OtherOrg), the others 200. It returns every mismatch,
// joined.
func Check(ctx context.Context, c *http.Client, base string, srv Server, s *Setup) error {
	type probe struct {
		name, token, org string
		want             []int
	}
	ok, unauth := []int{http.StatusOK}, []int{http.StatusUnauthorized}
	probes := []probe{
		{"good token", s.Fixture.Good, s.Org, ok},
		{"token of the set", s.Tokens[len(s.Tokens)-1], s.Org, ok},
	}
	if srv.Protected {
		probes = append(probes,
			probe{"expired token", s.Fixture.Expired, s.Org, unauth},
			probe{"wrong-audience token", s.Fixture.WrongAudience, s.Org, unauth},
			probe{"no token", "", s.Org, []int{http.StatusUnauthorized, http.StatusBadRequest}},
		)
	}
	if srv.ChecksOrg {
		probes = append(probes, probe{"good token, another organization's path", s.Fixture.Good, OtherOrg, []int{http.StatusForbidden}})
	} else {
		probes = append(probes, probe{"good token, another organization's path", s.Fixture.Good, OtherOrg, ok})
	}
	var errs []error
	for _, p := range probes {
		got, err := status(ctx, c, strings.TrimSuffix(base, "/")+Path(p.org), p.token)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("server %s: %s: %w", srv.Name, p.name, err))
		case !slices.Contains(p.want, got):
			errs = append(errs, fmt.Errorf("server %s: %s: got %d, want %s", srv.Name, p.name, got, statuses(p.want)))
		}
	}
	return errors.Join(errs...)
}

func status(ctx context.Context, c *http.Client, u, token string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody)); err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func statuses(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, " or ")
}
