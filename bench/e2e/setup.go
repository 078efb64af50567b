package e2e

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/tokengate/tokengate/bench"
)

// Route is the ServeMux pattern every server serves, so that routing costs
// the same everywhere and only what wraps the handler differs.
const Route = "GET /orgs/{org}/items"

// Path returns the URL path of org's items (the path Route matches).
func Path(org string) string { return "/orgs/" + url.PathEscape(org) + "/items" }

// DefaultTokens is how many distinct valid tokens a run sends round-robin:
// a few dozen users whose clients repeat their tokens, as real clients do
// until the token expires. Each is verified once, then served from the
// verified-token cache (on for every tokengate server but tokengate-nocache).
const DefaultTokens = 64

// Setup is what a run shares: the RS256 fixture (Auth0's default algorithm;
// bench.Fixture, with its expired and wrong-audience tokens for the checks)
// and distinct valid tokens, all of the fixture's organization.
type Setup struct {
	Fixture *bench.Fixture
	// Tokens differ in their subject only; all are valid for a day.
	Tokens []string
	// Org is the organization (org_id) of every token: Path(Org) is the
	// URL path that every server answers with 200.
	Org string
}

// NewSetup generates fresh keys and signs n tokens issued at now.
func NewSetup(n int, now time.Time) (*Setup, error) {
	if n <= 0 {
		return nil, errors.New("e2e: NewSetup needs at least one token")
	}
	keys, err := bench.NewKeys()
	if err != nil {
		return nil, err
	}
	f, err := bench.NewFixture(bench.RS256, keys, now)
	if err != nil {
		return nil, err
	}
	s := &Setup{Fixture: f, Org: bench.GoodClaims(now).OrgID}
	for i := range n {
		c := bench.GoodClaims(now)
		c.Subject = fmt.Sprintf("auth0|user%04d", i)
		tok, err := keys.Token(bench.RS256, c)
		if err != nil {
			return nil, err
		}
		s.Tokens = append(s.Tokens, tok)
	}
	return s, nil
}
