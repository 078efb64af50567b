// Package redisstore keeps the state that the replicas of one API share on
// Redis (github.com/redis/go-redis/v9): the Management API's
// machine-to-machine token, its rate budget, the DPoP replay records and
// the revocation set. It is a nested module, so that applications that do
// not run a fleet never download a Redis client.
//
// A Store is one connection; each store made from it implements an
// interface of the main module:
//
//	Store.Tokens       management.TokenStore    management.Config.TokenStore
//	Store.Budget       client.RateBudget        client.Config.Budget (management.Config.HTTP)
//	Store.Replay       dpop.ReplayStore         dpop.Config.Replay
//	Store.Revocations  verifier.RevocationSet   verifier.Config.Revocations
//
// # What each store does
//
// Tokens: the client-credentials token is stored with a time to live that
// ends at its refresh point, and read by every replica, which then keeps it
// in memory until then. When it is missing, one replica takes a lock (SET
// NX PX, with a random value and a time to live, so that a replica that
// dies holding it delays the others by TokenConfig.LockTTL at most and a
// late release never removes another's lock) and fetches; the others poll
// for its token (10 ms, doubling to 100 ms). A 401 deletes the token only
// if it is still the one refused (compare and delete), so one 401 seen by
// every replica gives one new token.
//
// Budget: a GCRA per tenant and API, and per endpoint class with a rate of
// its own, in one Lua script per request (one round trip) that reads the
// clock of Redis (TIME) and gives each request its slot; a request that
// must wait sleeps once, ctx-aware. A state the script cannot have written
// (far ahead, not a number) is taken as empty. Pause (X-RateLimit-Remaining
// 0, a 429) holds the bucket until the reset for the whole fleet.
//
// Replay: SET key NX PX ttl, atomic across the fleet, the key a 128-bit
// digest of dpop's key, the time to live the proof's remaining window on
// this replica's clock.
//
// Revocations: one key per revoked subject or session of an issuer, holding
// the latest Before, with a time to live of Before plus
// RevocationConfig.MaxTokenLifetime; a lookup is one round trip.
//
// # When Redis is down or slow
//
// Every operation is bounded by Config.Timeout (100 ms by default); after
// a failure the stores do not ask Redis again for Config.RetryInterval (1 s)
// and act at once as their Policy says, so that an outage costs one timeout
// per interval, not one per request, and no request hangs on Redis. By
// default the token store and the budget fall back to this process (a
// token fetched by this replica; a LocalBudget at Rate ÷ Replicas), and
// the replay store and the revocation set fail closed (dpop answers 503,
// the verifier ErrRevocationUnavailable, answered 503 by the middleware).
// A revocation Redis did not take is an error whatever the Policy, so its
// sender retries. Outages show in the Observer (Metrics) and in the log:
// a line at Warn when Redis stops answering, at Info when it answers
// again.
//
// # What is trusted
//
// Redis holds no secret: keys are digests and prefixes, values are tokens
// (the Management token is a bearer credential: protect Redis as you would
// the client secret), instants and markers. What Redis answers is checked
// before use: a stored token must be a header value (else it is ignored and
// the store falls back), waits are clamped to the budget's MaxWait, a
// lock without a time to live is refused, a revocation that is not a time
// refuses the token. Redis must not evict unexpired keys
// (maxmemory-policy noeviction, checked by Store.Check): an evicted replay
// record lets a replay pass, an evicted revocation a revoked token.
package redisstore
