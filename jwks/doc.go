// Package jwks provides the key sources of tokengate's verifier: a static
// key set parsed from a JWKS document (Parse), a remote key set fetched
// from a JWKS URL and kept fresh (New), and OpenID Connect discovery of
// that URL (Discover). *Set and *Cache implement verifier.KeySource.
//
// # What is trusted
//
// Only the configuration: the JWKS URL (or the issuer given to Discover)
// and the TLS roots of the HTTP client. A token never names a URL or a key
// source; an unknown kid only makes the configured URL be fetched again,
// at most once per Cooldown. Everything a server sends is checked before
// it is used: the document is strict JSON (UTF-8, no duplicate or
// case-folded duplicate member names at any depth, bounded size and depth,
// nothing after it), and each key passes the key policy described at Parse
// (key type and curve, use and key_ops, an alg that fits the key and binds
// it, canonical base64url with minimal integers and exact coordinate
// sizes, no private members, x5c, x5t and x5t#S256 that agree with the
// key, and verifier.NewKey's RSA, EC, Ed25519 and HMAC checks). Each
// public key is then also decoded by lestrrat-go/jwx/v3's jwk package, and
// kept only when both decoders agree on the key material. Keys that fail
// are skipped, the others kept (RFC 7517 section 5); documents that fail
// as a whole are refused. A remote set never yields symmetric (oct) keys.
// Discovery requires the document's issuer to equal the configured issuer
// exactly and jwks_uri to be https (plain http on loopback only when the
// issuer itself is).
//
// Plain http is accepted only for loopback hosts (127.0.0.0/8, ::1,
// localhost), so tests and local tenants work. TLS verification is never
// turned off: a client whose transport skips it is refused where the
// transport can be reached (Config.HTTPClient says how), and otherwise every
// https response whose connection has no verified certificate chain is
// refused; only a RoundTripper that reports no TLS state for an https
// response (Go's never do) is beyond this check. Redirects stay on the
// original origin (at most 3), every fetch has a total deadline (5 s) and a
// body cap (1 MiB, after decompression), and the package's own client
// ignores HTTPS_PROXY and friends; pass Config.HTTPClient to use a proxy.
//
// # What fails closed
//
// Before the first successful fetch, lookups fail with
// verifier.ErrKeysUnavailable (HTTP layers answer 503); Config.Prefetch
// makes New wait for that fetch and fail instead. After it, a failed
// refresh (network, HTTP status, oversized or invalid body, or a valid set
// with no usable key, which includes one that removes every key) keeps the
// last good keys (stale-if-error) for at most MaxStale (24 h) after the
// last success; then the keys are retired and lookups fail with
// ErrKeysUnavailable again until a fetch succeeds. An unknown kid fails
// with verifier.ErrKeyNotFound after at most one fetch per Cooldown.
//
// # Refresh schedule
//
// Keys are fresh for the response's Cache-Control max-age (10 min when
// absent or unusable; no-store and no-cache count as 0; above 24 h as 24 h)
// minus its Age (RFC 9111 section 4.2.3: the time a CDN or other shared
// cache has held it; invalid values ignored, the largest of several counts),
// at least 0, clamped to [MinRefreshInterval, MaxRefreshInterval] (1 min to
// 24 h). A 304 that confirms the keys counts the same way. The background
// refresh starts at 80% of that (refresh-ahead), never sooner than Cooldown
// after the previous fetch. Failed fetches are retried after 1 s, doubling
// up to 5 min, with jitter. A Retry-After holds back retries and kid-miss
// fetches alike, but only as advice (RFC 9110 section 10.2.3): at most
// MaxBackoff (5 min), never past the expiry of the keys held, and, while no
// usable keys are held, no longer than the backoff delay, so that a day-long
// Retry-After cannot keep every token refused after the provider is healthy
// again. A refresh that brings a key equal to a current one keeps its
// *verifier.Key, so tokens in verifiers' caches stay valid; a key that
// disappears is retired (verifier.Key.Retire), and tokens it verified leave
// those caches at once. Responses with an ETag are revalidated with
// If-None-Match; a 304 confirms the current keys.
//
// # Concurrency
//
// A lookup of a known kid is an atomic load of an immutable snapshot, a
// clock read for MaxStale and a map lookup: no lock, no allocation, no
// network. Misses share one fetch in flight (single-flight), and each
// caller waits at most until its own context ends. Locks are never held
// across network I/O. Close stops every goroutine the Cache started.
//
// # httprc
//
// Fetches go through lestrrat-go/httprc v3 (the refresh controller behind
// jwx v3's jwk.Cache): one httprc client with one worker, and the URL as
// its one resource, whose transformer runs the body cap and the strict
// parse. Each fetch is a Controller.Refresh, which runs Resource.Sync on
// the worker. httprc's own scheduler is not used, because it cannot
// express parts of the contract above: it runs on the system clock (no
// injectable clock for tests), has no backoff, jitter or Retry-After, no
// cooldown for kid misses and no stale limit. So the resource is told an
// interval of a century and is marked not due when it is added (Add would
// otherwise fetch it at once in the background), and the resource's HTTP
// client sends a request only for a fetch this package started: a sync
// that httprc starts by itself is refused before any I/O.
//
// That HTTP client (one per Cache) is also where httprc v3's choices are
// undone: Sync turns every status but 200 into an error before the
// transformer sees the response, so the client records the status and
// headers (304 for If-None-Match, Retry-After of a 429 or 503) for the
// fetch to read; it is the one place request headers are set (Accept,
// If-None-Match); it adds FetchTimeout to the worker's context, on which
// Sync runs. httprc's client-wide defaults, a whitelist that admits any URL
// and http.DefaultClient, are replaced by a whitelist of the one URL and a
// client that refuses every request. httprc caps bodies silently at 1 GB;
// the transformer applies MaxBodySize itself and refuses a longer body.
package jwks
