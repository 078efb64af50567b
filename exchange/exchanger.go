package exchange

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/authentication"
	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// Request says what the caller's token is exchanged for: a token for
// another API (Audience) or a connection's token (Connection), never both.
type Request struct {
	// Audience is the identifier of the API to call (Custom Token
	// Exchange).
	Audience string
	// Connection is the name of a connection whose access token Token
	// Vault holds for the user ("google-oauth2").
	Connection string
	// Scope is the space-separated scope asked for (audience exchanges).
	Scope string
	// Organization is the organization parameter of an audience exchange
	// (ID or name); empty: none sent.
	Organization string
	// LoginHint is the login_hint of a connection exchange (which of the
	// user's accounts on the connection).
	LoginHint string
	// ActorToken is the token of the party acting for the user (an agent,
	// this service's own client-credentials token), sent as actor_token
	// (RFC 8693 section 2.1): the issued token names it in act. With
	// Config.TokenVerifier set, an issued token without act is refused.
	ActorToken string
	// ActorTokenType is actor_token_type; default TokenTypeAccessToken
	// when ActorToken is set.
	ActorTokenType string
}

// Token is an exchanged token. A *Token may be shared by concurrent
// callers through the cache: treat it as read-only.
type Token struct {
	AccessToken     string
	TokenType       string // "Bearer": other types are refused
	Scope           string
	IssuedTokenType string
	// ExpiresAt is the time of receipt plus expires_in (at most 30 days;
	// the issued token's exp when Config.TokenVerifier verified an earlier
	// one); zero when the answer gave no lifetime: such a token is not
	// cached.
	ExpiresAt time.Time
	// Claims are the issued token's verified claims, when
	// Config.TokenVerifier is set (audience exchanges only); else nil.
	Claims *verifier.Claims
	// Actor is Claims.Actor: who acts for the user (act), nil without.
	Actor *verifier.Actor
}

// String shows the token without its value, so that logging it is safe.
func (t *Token) String() string {
	return fmt.Sprintf("exchange.Token{access_token=[REDACTED] token_type=%s scope=%q expires_at=%s}",
		t.TokenType, t.Scope, t.ExpiresAt.Format(time.RFC3339))
}

// Exchanger exchanges verified incoming tokens, and caches the results. It
// is safe for concurrent use.
type Exchanger struct {
	c           *authentication.Client
	subjectType string
	connType    string
	tv          *verifier.Verifier
	cache       *cache // nil: off
	margin      time.Duration
	maxTTL      time.Duration
	now         func() time.Time
	flight      singleflight.Group
}

// New checks cfg and returns an Exchanger.
func New(cfg Config) (*Exchanger, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	e := &Exchanger{c: cfg.Client, subjectType: cfg.SubjectTokenType, connType: cfg.ConnectionSubjectTokenType,
		tv: cfg.TokenVerifier, margin: cfg.Margin, maxTTL: cfg.MaxTTL, now: cfg.Now}
	if e.connType == "" {
		e.connType = TokenTypeAccessToken
	}
	if e.margin == 0 {
		e.margin = DefaultMargin
	}
	if e.maxTTL == 0 {
		e.maxTTL = DefaultMaxTTL
	}
	if e.now == nil {
		e.now = time.Now
	}
	switch n := cfg.CacheSize; {
	case n == 0:
		e.cache = newCache(DefaultCacheSize)
	case n > 0:
		e.cache = newCache(n)
	}
	return e, nil
}

// Token returns a token for r on behalf of the caller of the request
// whose context ctx is: the token middleware.Authenticate verified
// (middleware.TokenFromContext) is the subject token. A cached token of
// the same caller and target is returned while it has more than
// Config.Margin to live; concurrent calls for one key share one exchange
// (each caller still stops waiting when its own ctx ends).
func (e *Exchanger) Token(ctx context.Context, r Request) (*Token, error) {
	claims, ok := middleware.ClaimsFromContext(ctx)
	raw, ok2 := middleware.TokenFromContext(ctx)
	if !ok || !ok2 {
		return nil, ErrNoToken
	}
	if claims.Confirmation != nil {
		return nil, ErrSenderConstrained
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	if r.ActorToken != "" && r.ActorTokenType == "" {
		r.ActorTokenType = TokenTypeAccessToken
	}
	key := cacheKey(claims, &r)
	if e.cache != nil {
		if t := e.cache.get(key, e.now()); t != nil {
			return t, nil
		}
	}
	// The exchange outlives a caller that gives up: the others may be
	// waiting for it. The client's own timeout bounds it.
	fctx := context.WithoutCancel(ctx)
	ch := e.flight.DoChan(key, func() (any, error) {
		return hook.Call(func() (*Token, error) { return e.exchange(fctx, raw, &r, key) })
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return nil, res.Err
		}
		return res.Val.(*Token), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (r *Request) check() error {
	switch {
	case (r.Audience == "") == (r.Connection == ""):
		return errors.New("exchange: a Request names exactly one of Audience and Connection")
	case r.Connection != "" && (r.Scope != "" || r.Organization != "" || r.ActorToken != ""):
		return errors.New("exchange: Scope, Organization and ActorToken apply to audience exchanges only")
	case r.ActorToken == "" && r.ActorTokenType != "":
		return errors.New("exchange: ActorTokenType without ActorToken")
	}
	return nil
}

// exchange sends one exchange and caches its result.
func (e *Exchanger) exchange(ctx context.Context, subject string, r *Request, key string) (*Token, error) {
	var resp *authentication.TokenResponse
	var err error
	if r.Connection != "" {
		resp, err = e.c.AccessTokenForConnection(ctx, authentication.ConnectionTokenRequest{
			SubjectTokenType: e.connType, SubjectToken: subject, RequestedTokenType: TokenTypeFederatedConnection,
			Connection: r.Connection, LoginHint: r.LoginHint})
	} else {
		if e.subjectType == "" {
			return nil, errors.New("exchange: Config.SubjectTokenType is required for audience exchanges")
		}
		var extra url.Values
		if r.ActorToken != "" {
			extra = url.Values{"actor_token": {r.ActorToken}, "actor_token_type": {r.ActorTokenType}}
		}
		resp, err = e.c.CustomTokenExchange(ctx, authentication.TokenExchangeRequest{
			SubjectTokenType: e.subjectType, SubjectToken: subject, Audience: r.Audience, Scope: r.Scope,
			Organization: r.Organization, Extra: extra})
	}
	now := e.now()
	if err != nil {
		return nil, classify(err)
	}
	if !strings.EqualFold(resp.TokenType, "Bearer") {
		// A DPoP or N_A token cannot be sent as a bearer token.
		return nil, &Error{Kind: ErrRefused, Code: "token_type"}
	}
	t := &Token{AccessToken: resp.AccessToken, TokenType: "Bearer", Scope: resp.Scope, IssuedTokenType: resp.IssuedTokenType}
	if resp.ExpiresIn > 0 { // decodeTokenResponse clamped it to [0, 30 days]
		t.ExpiresAt = now.Add(time.Duration(resp.ExpiresIn) * time.Second)
	}
	if e.tv != nil && r.Audience != "" {
		c, err := e.tv.Verify(ctx, t.AccessToken)
		if err != nil {
			return nil, &Error{Kind: ErrRefused, Code: "access_token", Err: err}
		}
		if r.ActorToken != "" && c.Actor == nil {
			return nil, &Error{Kind: ErrRefused, Code: "act"}
		}
		t.Claims, t.Actor = c, c.Actor
		if t.ExpiresAt.IsZero() || c.ExpiresAt.Before(t.ExpiresAt) {
			t.ExpiresAt = c.ExpiresAt
		}
	}
	if e.cache != nil && !t.ExpiresAt.IsZero() {
		deadline := t.ExpiresAt.Add(-e.margin)
		if limit := now.Add(e.maxTTL); deadline.After(limit) {
			deadline = limit
		}
		if deadline.After(now) {
			e.cache.put(key, t, deadline)
		}
	}
	return t, nil
}

// classify turns the client's error into an *Error for refusals (4xx but
// 429, unusable answers); transient failures (429, 5xx, network) are
// returned wrapped as they are.
func classify(err error) error {
	var ce *client.Error
	if errors.As(err, &ce) && ce.StatusCode >= 400 && ce.StatusCode < 500 && ce.StatusCode != http.StatusTooManyRequests {
		kind := ErrRefused
		switch ce.Code {
		case "consent_required", "interaction_required":
			kind = ErrConsentRequired
		case "federated_connection_refresh_token_not_found":
			kind = ErrConnectionMissing
		}
		return &Error{Kind: kind, Code: ce.Code, Err: err}
	}
	if errors.Is(err, authentication.ErrTokenResponse) {
		return &Error{Kind: ErrRefused, Err: err}
	}
	return fmt.Errorf("exchange: %w", err)
}
