package exchange

import (
	"context"

	"golang.org/x/oauth2"
)

// TokenSource returns an oauth2.TokenSource whose Token exchanges (or
// takes from the cache) the token of the caller of ctx's request for r, so
// that the result plugs into oauth2.NewClient, oauth2.Transport and the
// client libraries that take a TokenSource (Google's, for a Token Vault
// connection to google-oauth2).
//
// The source holds ctx: use it for the request's own lifetime, never
// beyond (it is the caller's token, and ctx ends with the request). Expiry
// of the tokens it returns is ExpiresAt; a token without a known lifetime
// gets Expiry = now, so that oauth2.ReuseTokenSource never keeps it.
func (e *Exchanger) TokenSource(ctx context.Context, r Request) oauth2.TokenSource {
	return &source{e: e, ctx: ctx, r: r}
}

type source struct {
	e   *Exchanger
	ctx context.Context // the request's: see TokenSource
	r   Request
}

func (s *source) Token() (*oauth2.Token, error) {
	t, err := s.e.Token(s.ctx, s.r)
	if err != nil {
		return nil, err
	}
	exp := t.ExpiresAt
	if exp.IsZero() {
		exp = s.e.now()
	}
	return &oauth2.Token{AccessToken: t.AccessToken, TokenType: t.TokenType, Expiry: exp}, nil
}
