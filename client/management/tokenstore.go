package management

import (
	"context"
	"errors"
	"time"
)

// TokenStore shares the client-credentials token of Management clients
// between the replicas of a fleet (Config.TokenStore): one replica fetches
// it and every replica uses it until shortly before it expires. Auth0
// counts machine-to-machine tokens against a monthly quota and rate-limits
// /oauth/token, so a fleet whose replicas each fetch their own spends
// both.
//
// Without a store (the default), each client caches its own token
// (single-flight, until a tenth of its lifetime before expiry). With one,
// each client still keeps the token it got in memory until its RefreshAt
// and asks the store only then, or after a 401. Package redisstore of the
// nested module github.com/tokengate/tokengate/redisstore implements it on
// Redis.
type TokenStore interface {
	// Token returns the token stored under key while it is valid;
	// otherwise it gets one with fetch, stores it until its RefreshAt and
	// returns it. An implementation shared by replicas makes sure that one
	// caller in the fleet fetches at a time (a lock with a time to live, so
	// that a replica that dies holding it does not stop the others) while
	// the others wait for its token: no stampede on /oauth/token when a
	// token reaches its RefreshAt. A store that cannot be reached may call
	// fetch itself (falling back to a token of this replica) or fail.
	Token(ctx context.Context, key string, fetch func(context.Context) (StoredToken, error)) (StoredToken, error)
	// Invalidate removes the token stored under key if it is still value:
	// the API refused it with 401. A token another replica already put in
	// its place is kept, so that one 401 seen by many replicas leads to
	// one new token in the fleet.
	Invalidate(ctx context.Context, key, value string) error
}

// StoredToken is a Management API access token and when to stop using it.
type StoredToken struct {
	Value string
	// RefreshAt is when the token stops being handed out: a tenth of its
	// lifetime (at most a minute) before it expires. The zero time means
	// the token came without a lifetime: use it for one request, do not
	// store it.
	RefreshAt time.Time
}

// checkStored refuses what a store answers if it cannot be a token to
// send (empty, or with bytes that are not allowed in a header value) and
// bounds how long it is believed: at most maxTokenLifetime from now.
func checkStored(st StoredToken, now time.Time) (StoredToken, error) {
	if st.Value == "" {
		return StoredToken{}, errors.New("the token store returned an empty token")
	}
	for i := 0; i < len(st.Value); i++ {
		if c := st.Value[i]; c <= ' ' || c >= 0x7f {
			return StoredToken{}, errors.New("the token store returned a token that is not a header value")
		}
	}
	if limit := now.Add(maxTokenLifetime); st.RefreshAt.After(limit) {
		st.RefreshAt = limit
	}
	return st, nil
}

// tokenStoreKey names the token of one client in a shared store: the tenant
// base URL, the audience and the client ID (two applications of one tenant
// have tokens with different scopes). It holds no secret.
func tokenStoreKey(base, audience, clientID string) string {
	return "management " + base + " " + audience + " " + clientID
}
