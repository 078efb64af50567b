// Package jwks provides the key sources of tokengate's verifier: a static
// key set parsed from a JWKS document (Parse), a remote key set fetched
// from a JWKS URL and kept fresh (New), and OpenID Connect discovery of
// that URL (Discover). *Set and *Cache implement verifier.KeySource.
// Issuers (NewIssuers) is a verifier.IssuerResolver for issuers known at
// run time: an allow list of the program's decides per request, and each
// allowed issuer's keys are discovered on first use into a Cache of its
// own, at most IssuersConfig.MaxIssuers of them (least recently used
// closed, its keys retired).
//
// Configuration follows tokengate's rule: a Cache, a long-lived object
// built once, takes a Config whose zero value (URL aside) is the safe
// default, and New validates it and returns an error; Config.Now is its
// clock. Per-call knobs of Discover are DiscoverOptions.
//
// # What is trusted
//
// Only the configuration: the JWKS URL (or the issuer given to Discover,
// or an issuer IssuersConfig.Allow accepts) and the TLS roots of the HTTP
// client. An issuer Allow refuses is never discovered nor fetched. A token never names a URL or a key
// source; an unknown kid only makes the configured URL be fetched again,
// at most once per Cooldown. Everything a server sends is checked before
// it is used: the document is strict JSON, bounded in size and depth, and
// each key passes the key policy described at Parse, then is decoded a
// second time by lestrrat-go/jwx/v3 and kept only when both decoders agree.
// A remote set never yields symmetric (oct) keys. Discovery requires the
// document's issuer to equal the configured one exactly. Plain http is
// accepted only for loopback hosts; TLS verification is never turned off
// (Config.HTTPClient says how that is enforced); redirects stay on the
// original origin; every fetch has a deadline (5 s) and a body cap (1 MiB,
// after decompression).
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
// ErrKeysUnavailable again until a fetch succeeds. A key a refresh drops
// is retired at once: tokens it verified leave the verifiers' caches. An
// unknown kid fails with verifier.ErrKeyNotFound after at most one fetch
// per Cooldown; that fetch asks caches on the way to revalidate
// (Cache-Control: no-cache), so a CDN cannot keep serving a set without
// the new key.
//
// # A wrong URL is a configuration problem
//
// A JWKS URL that answers 404 (any 4xx but 408 and 429), an HTML page, or
// JSON that is not a key set (no "keys" array) is not an outage: the URL
// is wrong (FetchError.Misconfigured). While no keys are held, it is
// logged once per distinct cause at Error as a configuration problem, with
// the URL, the status and the content type (never the body); the errors
// of lookups, and of New with Prefetch, say the same once: "verifier: keys
// unavailable: jwks: fetch https://tenant.example.com/jwks: HTTP 404
// (text/html): not a key set URL: check the configured JWKS URL". Put
// Prefetch in the program's start-up so that it fails there.
package jwks
