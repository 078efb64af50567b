package management

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/tokengate/tokengate/internal/hook"
)

// ErrToken is wrapped by every error caused by failing to get a Management
// API access token (the token endpoint's *client.Error is wrapped too, so
// errors.As finds it). No API request is sent without a token.
var ErrToken = errors.New("management: cannot get an access token")

// tokenSource hands out the bearer token of each request.
type tokenSource interface {
	// token returns the token to send.
	token(ctx context.Context) (string, error)
	// invalidate drops tok after the API rejected it with 401 and reports
	// whether asking token again may give a different one.
	invalidate(ctx context.Context, tok string) bool
	// kind names the source without revealing it (String).
	kind() string
}

// staticToken is a token given by the caller.
type staticToken string

func (s staticToken) token(context.Context) (string, error) { return string(s), nil }
func (staticToken) invalidate(context.Context, string) bool { return false }
func (staticToken) kind() string                            { return "static" }

// tokenFetcher gets a new client-credentials token for audience. It is the
// seam between the token cache and the Authentication API client.
type tokenFetcher interface {
	clientCredentials(ctx context.Context, audience string) (token string, expiresIn time.Duration, err error)
}

// Token cache timing.
const (
	// maxRefreshMargin is how long before expiry a cached token is replaced
	// (at most); clock skew and request latency must not let a token
	// expire on its way to the API. The Python SDK uses 10 s.
	maxRefreshMargin = time.Minute
	// tokenFetchTimeout bounds a shared token fetch, which runs detached
	// from the caller that started it (others may be waiting for it).
	tokenFetchTimeout = 30 * time.Second
	// maxTokenLifetime bounds how long a token is cached, whatever
	// expires_in said: Auth0 issues API access tokens for at most 30 days.
	maxTokenLifetime = 30 * 24 * time.Hour
)

// cachedToken is the client-credentials token source: one token cached
// until shortly before it expires, refreshed under single-flight so that
// concurrent first uses cause one token request. Reads are lock-free.
type cachedToken struct {
	fetch    tokenFetcher
	audience string
	now      func() time.Time
	cur      atomic.Pointer[tokenEntry]
	group    singleflight.Group
	// store, when set, is shared with other replicas under key
	// (Config.TokenStore): a refresh asks it instead of fetching.
	store TokenStore
	key   string
}

type tokenEntry struct {
	value     string
	refreshAt time.Time // use until then
}

func newCachedToken(f tokenFetcher, audience string, now func() time.Time) *cachedToken {
	return &cachedToken{fetch: f, audience: audience, now: now}
}

func (*cachedToken) kind() string { return "client_credentials" }

func (c *cachedToken) token(ctx context.Context) (string, error) {
	if e := c.cur.Load(); e != nil && c.now().Before(e.refreshAt) {
		return e.value, nil
	}
	// The fetch is shared: it must not end because the first caller's
	// context does, so it runs detached with its own bound, and each caller
	// waits for it only as long as its own context allows.
	ch := c.group.DoChan("token", func() (any, error) {
		// hook.Call: singleflight re-raises a panic of this function on a
		// goroutine of its own, which nothing can recover and which ends
		// the process; a panic anywhere in the fetch (a hook, a transport)
		// comes back to every waiting caller as an error instead.
		return hook.Call(func() (string, error) { return c.refresh(ctx) })
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return "", fmt.Errorf("%w: %w", ErrToken, r.Err)
		}
		return r.Val.(string), nil
	case <-ctx.Done():
		return "", fmt.Errorf("%w: %w", ErrToken, ctx.Err())
	}
}

// refresh fetches a new token and caches it. It runs detached from the
// caller that started it, under tokenFetchTimeout.
func (c *cachedToken) refresh(ctx context.Context) (string, error) {
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), tokenFetchTimeout)
	defer cancel()
	// A caller that waited for a fetch that just ended may arrive here:
	// a fresh token is then already cached.
	if e := c.cur.Load(); e != nil && c.now().Before(e.refreshAt) {
		return e.value, nil
	}
	var st StoredToken
	var err error
	if c.store != nil {
		// The store is code of the application or a network store: its
		// answer is checked like the token endpoint's.
		st, err = hook.Call(func() (StoredToken, error) { return c.store.Token(fctx, c.key, c.fetchToken) })
		if err == nil {
			st, err = checkStored(st, c.now())
		}
	} else {
		st, err = c.fetchToken(fctx)
	}
	if err != nil {
		return "", err
	}
	if c.now().Before(st.RefreshAt) {
		c.cur.Store(&tokenEntry{value: st.Value, refreshAt: st.RefreshAt})
	} else {
		// No lifetime given: use it for this request only rather than
		// guess (fail closed; Auth0 always sends expires_in).
		c.cur.Store(nil)
	}
	return st.Value, nil
}

// fetchToken gets a new token from the token endpoint, with the instant it
// is to be replaced (zero when the answer gave no lifetime).
func (c *cachedToken) fetchToken(ctx context.Context) (StoredToken, error) {
	start := c.now()
	tok, expiresIn, err := c.fetch.clientCredentials(ctx, c.audience)
	if err != nil {
		return StoredToken{}, err
	}
	if tok == "" {
		return StoredToken{}, errors.New("the token endpoint returned an empty access_token")
	}
	// An answer's lifetime is clamped before any arithmetic on it.
	expiresIn = min(expiresIn, maxTokenLifetime)
	if expiresIn <= 0 {
		return StoredToken{Value: tok}, nil
	}
	// Keep it until a margin before expiry: a tenth of its life, at most
	// maxRefreshMargin. Measured from before the request, so the latency
	// of the token call is accounted for.
	margin := min(expiresIn/10, maxRefreshMargin)
	return StoredToken{Value: tok, RefreshAt: start.Add(expiresIn - margin)}, nil
}

// invalidate drops tok if it is still the cached token (a concurrent
// refresh may already have replaced it, which is then kept), and from the
// shared store if it is still the one there. The store's failure is not
// the request's: the request is retried with whatever token comes next.
func (c *cachedToken) invalidate(ctx context.Context, tok string) bool {
	if e := c.cur.Load(); e != nil && e.value == tok {
		c.cur.CompareAndSwap(e, nil)
	}
	if c.store != nil {
		hook.Call(func() (struct{}, error) { return struct{}{}, c.store.Invalidate(ctx, c.key, tok) })
	}
	return true
}
