package verifier

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/verifier/internal/jose"
)

// Verifier checks tokens of one configuration. It is safe for concurrent
// use. Build it once with New and share it.
type Verifier struct {
	issuer   string
	audience []string
	algs     [16]bool
	expected string // the allowed algs, for messages
	keys     KeySource
	issuers  map[string]KeySource // further issuers; nil when there are none
	kind     Kind
	clientID string
	azps     []string
	types    []string
	required []string
	leeway   float64
	maxSize  int
	embedded bool
	now      func() time.Time
	obs      Observer
	count    bool // count successful cache hits (obs is set)
	log      *slog.Logger
	cache    *tokenCache
}

// New checks cfg and returns a Verifier.
func New(cfg Config) (*Verifier, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	v := &Verifier{
		issuer:   cfg.Issuer,
		audience: append([]string(nil), cfg.Audience...),
		keys:     cfg.Keys,
		kind:     cfg.Kind,
		clientID: cfg.ClientID,
		azps:     append([]string(nil), cfg.AuthorizedParties...),
		required: append([]string(nil), cfg.RequiredClaims...),
		leeway:   cfg.Leeway.Seconds(),
		maxSize:  cfg.MaxTokenSize,
		embedded: cfg.RejectEmbeddedKeys,
		now:      cfg.Now,
		obs:      cfg.Observer,
		log:      cfg.Logger,
	}
	v.count = cfg.Observer != nil
	if v.clientID == "" {
		v.clientID = cfg.Audience[0]
	}
	if v.maxSize == 0 {
		v.maxSize = defaultMaxTokenSize
	}
	if v.now == nil {
		v.now = time.Now
	}
	algs := cfg.Algorithms
	if len(algs) == 0 {
		algs = []string{"RS256"}
	}
	for _, name := range algs {
		a, _ := jose.ParseAlg(name)
		v.algs[a] = true
	}
	v.expected = fmt.Sprintf("%q", algs[0])
	if len(algs) > 1 {
		v.expected = fmt.Sprintf("one of %q", algs)
	}
	for _, t := range cfg.Types {
		v.types = append(v.types, strings.ToLower(strings.TrimPrefix(strings.ToLower(t), "application/")))
	}
	if len(cfg.Issuers) > 0 {
		v.issuers = map[string]KeySource{cfg.Issuer: cfg.Keys}
		for _, is := range cfg.Issuers {
			v.issuers[is.Issuer] = is.Keys
		}
	}
	switch {
	case cfg.CacheSize == 0:
		v.cache = newTokenCache(defaultCacheSize)
	case cfg.CacheSize > 0:
		v.cache = newTokenCache(cfg.CacheSize)
	}
	return v, nil
}

// Verify checks token and returns its claims. In order: size, compact
// structure and canonical base64url, the header (duplicate-free JSON, alg in
// the allow list and bound to the key), the signature, then the claims
// (strict JSON, types, iss, aud, exp, nbf, iat, the rules of the token kind,
// cnf against the bindings opts name, and the checks opts add). Nothing of
// the claims is read before the signature verifies, except the iss that
// picks the key source when several issuers are configured. On error no claims are returned, and the error
// wraps one sentinel inside a *ValidationError.
func (v *Verifier) Verify(ctx context.Context, token string, opts ...Option) (*Claims, error) {
	if c, alg, err, ok := v.cached(token, opts); ok {
		// A hit that returns claims was counted (Stats), not observed.
		if err != nil {
			if v.obs != nil {
				// No clock reads on a hit: two would cost more than the hit.
				v.observe(Event{Err: err, CacheHit: true, Algorithm: alg.String()})
			}
			if v.log != nil {
				v.logFailure(ctx, err, alg, nil, true)
			}
		}
		return c, err
	}
	if v.obs == nil && v.log == nil {
		c, _, _, err := v.verify(ctx, token, opts)
		return c, err
	}
	var start time.Time
	if v.obs != nil {
		start = time.Now()
	}
	c, alg, kid, err := v.verify(ctx, token, opts)
	if v.obs != nil {
		v.observe(Event{Err: err, Algorithm: alg.String(), Duration: time.Since(start)})
	}
	if err != nil && v.log != nil {
		v.logFailure(ctx, err, alg, kid, false)
	}
	return c, err
}

// observe hands e to the Observer. A panic in it is stopped and logged at
// Error: a bug in a metrics hook must not take down the request, nor change
// the outcome of Verify.
func (v *Verifier) observe(e Event) {
	defer hook.Recover(v.log, "verifier observer")
	v.obs.ObserveVerify(e)
}

// logFailure logs a refused token at Debug: the reason, the claim at fault,
// the error message (which never holds the token), the algorithm and the kid
// quoted and cut. Refusals are routine (expired tokens), hence Debug;
// successes are not logged.
func (v *Verifier) logFailure(ctx context.Context, err error, alg jose.Alg, kid []byte, hit bool) {
	// The handler is the caller's code too; its panic is dropped (logging
	// it would go to the same handler).
	defer hook.Recover(nil, "verifier logger")
	if !v.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := make([]slog.Attr, 0, 6)
	attrs = append(attrs, slog.String("reason", Reason(err)))
	var ve *ValidationError
	if errors.As(err, &ve) && ve.Claim != "" {
		attrs = append(attrs, slog.String("claim", ve.Claim))
	}
	if a := alg.String(); a != "" {
		attrs = append(attrs, slog.String("alg", a))
	}
	if kid != nil {
		attrs = append(attrs, slog.String("kid", quoteID(kid)))
	}
	attrs = append(attrs, slog.Bool("cache_hit", hit), slog.String("error", err.Error()))
	v.log.LogAttrs(ctx, slog.LevelDebug, "verifier: token refused", attrs...)
}

// cached answers from the verified-token cache; ok is false on a miss. A
// hit re-checks the time claims and that the key is still in use, and
// still applies the per-call options; a hit that returns claims is counted
// when an Observer is set.
func (v *Verifier) cached(token string, opts []Option) (c *Claims, alg jose.Alg, err error, ok bool) {
	// Tokens above maxCachedSize are never cached: skip hashing them.
	if v.cache == nil || len(token) > maxCachedSize {
		return nil, 0, nil, false
	}
	e, sh := v.cache.get(token)
	if e == nil {
		return nil, 0, nil, false
	}
	now := v.nowSeconds()
	if e.key.retired() || v.checkTimes(e.claims, now) != nil {
		v.cache.remove(token, e)
		return nil, 0, nil, false
	}
	if err := v.checkOptions(e.claims, now, opts, nil); err != nil {
		return nil, e.key.alg, err, true
	}
	if v.count {
		sh.hits.Add(1)
	}
	return e.claims, e.key.alg, nil, true
}

// verify checks a token the cache did not answer for, and caches it when it
// passes every check of the configuration. It also returns the header's kid
// (nil when absent or refused) for the log.
func (v *Verifier) verify(ctx context.Context, token string, opts []Option) (*Claims, jose.Alg, []byte, error) {
	if len(token) > v.maxSize {
		return nil, 0, nil, newError(ErrMalformed, "token", "token larger than the configured maximum")
	}
	payload, key, alg, hdr, err := v.verifySignature(ctx, token)
	if err != nil {
		return nil, alg, hdr.Kid, err
	}
	c := &Claims{}
	var present [8]bool
	var pres []bool
	if n := len(v.required); n > 0 {
		if n <= len(present) {
			pres = present[:n]
		} else {
			pres = make([]bool, n)
		}
	}
	if err := parseClaims(payload, c, v.required, pres); err != nil {
		return nil, alg, hdr.Kid, err
	}
	now := v.nowSeconds()
	if err := v.checkClaims(c, now, pres); err != nil {
		return nil, alg, hdr.Kid, err
	}
	// azp is a configuration check, reported after nonce and organization
	// (checkOptions); only tokens that pass it are cached.
	party := v.checkParty(c)
	if party == nil && v.cache != nil {
		v.cache.put(token, c, key)
	}
	if err := v.checkOptions(c, now, opts, party); err != nil {
		return nil, alg, hdr.Kid, err
	}
	return c, alg, hdr.Kid, nil
}

// Stats is a point-in-time view of a Verifier's verified-token cache, for
// metrics.
type Stats struct {
	// CacheEntries is the number of cached tokens (0 when the cache is off).
	CacheEntries int
	// CacheHits counts the Verify calls the cache answered with claims,
	// since New. They are counted only when Config.Observer is set, which
	// is told every other outcome but not these: the hottest path then
	// costs one atomic add, no call; without an Observer, nothing.
	CacheHits uint64
}

// Stats returns the verified-token cache's size and hit count. It takes
// each cache shard's read lock in turn: cheap enough for a metrics scrape,
// not meant for the request path.
func (v *Verifier) Stats() Stats {
	if v.cache == nil {
		return Stats{}
	}
	n, hits := v.cache.stats()
	return Stats{CacheEntries: n, CacheHits: hits}
}

// VerifySignature applies the header policy, the typ rules included
// (Config.Types and Kind, as Verify applies them), and checks the signature,
// and returns the payload without looking at it: no claim is checked, not
// even exp or cnf (a sender-constrained token is returned as any other). Use
// it only where the caller checks the claims itself.
func (v *Verifier) VerifySignature(ctx context.Context, token string) ([]byte, error) {
	if len(token) > v.maxSize {
		return nil, newError(ErrMalformed, "token", "token larger than the configured maximum")
	}
	payload, _, _, _, err := v.verifySignature(ctx, token)
	if err != nil {
		return nil, err
	}
	return payload, nil
}

// maxSignature bounds the decoded signature: an RSA-8192 signature.
const maxSignature = 1024

func (v *Verifier) verifySignature(ctx context.Context, token string) (payload []byte, key *Key, alg jose.Alg, hdr jose.Header, err error) {
	if token == "" {
		return nil, nil, 0, hdr, newError(ErrMalformed, "token", v.kindName()+" is required but missing")
	}
	dot1, dot2, err := jose.Split(token)
	if err != nil {
		return nil, nil, 0, hdr, newError(ErrMalformed, "token", err.Error())
	}
	hlen := jose.DecodedLen(dot1)
	if hlen > jose.MaxHeader {
		return nil, nil, 0, hdr, newError(ErrMalformed, "header", "header too large")
	}
	slen := jose.DecodedLen(len(token) - dot2 - 1)
	if slen > maxSignature {
		return nil, nil, 0, hdr, newError(ErrSignature, "signature", "signature too long")
	}
	// One buffer for header and payload; the payload part outlives the call
	// as Claims.raw, and the strings of Claims and the kid alias it.
	buf := make([]byte, hlen+jose.DecodedLen(dot2-dot1-1))
	hb, err := jose.Decode(buf[:hlen], token[:dot1])
	if err != nil {
		return nil, nil, 0, hdr, newError(ErrMalformed, "header", "header: "+err.Error())
	}
	if !utf8.Valid(hb) {
		return nil, nil, 0, hdr, newError(ErrMalformed, "header", "header is not UTF-8")
	}
	hdr, err = jose.ParseHeader(hb)
	if err != nil {
		return nil, nil, 0, hdr, v.headerError(err, hdr)
	}
	alg = hdr.Alg
	if !v.algs[alg] {
		return nil, nil, alg, hdr, v.algError(quote(alg.String()))
	}
	if v.embedded && hdr.Embedded {
		return nil, nil, alg, hdr, newError(ErrMalformed, "header", "header carries key material or a key URL (jwk, jku, x5u, x5c)")
	}
	payload, err = jose.Decode(buf[hlen:], token[dot1+1:dot2])
	if err != nil {
		return nil, nil, alg, hdr, newError(ErrMalformed, "payload", "payload: "+err.Error())
	}
	// The signature segment is checked before the key lookup too: a token
	// that is not canonical base64url never reaches the key source (which
	// may refetch a JWKS for an unknown kid).
	var sbuf [maxSignature]byte
	sig, err := jose.Decode(sbuf[:], token[dot2+1:])
	if err != nil {
		return nil, nil, alg, hdr, newError(ErrMalformed, "signature", "signature: "+err.Error())
	}
	keys := v.keys
	if v.issuers != nil {
		iss, ok := peekIssuer(payload)
		if !ok {
			return nil, nil, alg, hdr, newError(ErrIssuer, "iss", "issuer (iss) claim must be a string present in the token")
		}
		if keys, ok = v.issuers[iss]; !ok {
			return nil, nil, alg, hdr, newError(ErrIssuer, "iss", "issuer (iss) is not one of the configured issuers")
		}
	}
	key, err = keys.Key(ctx, str(hdr.Kid), alg.String())
	if err != nil {
		return nil, nil, alg, hdr, keyLookupError(err, hdr)
	}
	if key == nil {
		// A source that answers (nil, nil) has no key for the token.
		return nil, nil, alg, hdr, keyLookupError(ErrKeyNotFound, hdr)
	}
	if !key.accepts(alg) {
		return nil, nil, alg, hdr, newError(ErrAlgorithm, "alg", fmt.Sprintf("key %s is bound to %s, not %s", quoteID(hdr.Kid), key.Algorithm(), alg))
	}
	if !key.verify(alg, token[:dot2], sig) {
		return nil, nil, alg, hdr, newError(ErrSignature, "signature", "Invalid token signature")
	}
	// typ is header policy (RFC 8725 section 3.11), checked here so that
	// VerifySignature applies it as Verify does; after the signature, so
	// that a forged token reports ErrSignature whatever its typ.
	if err := v.checkType(hdr); err != nil {
		return nil, nil, alg, hdr, err
	}
	return payload, key, alg, hdr, nil
}

// algError is the Auth0 SDK's message for an alg that is not accepted.
func (v *Verifier) algError(quoted string) error {
	return newError(ErrAlgorithm, "alg", fmt.Sprintf("Signature algorithm of %s is not supported. Expected the token to be signed with %s", quoted, v.expected))
}

func (v *Verifier) headerError(err error, hdr jose.Header) error {
	switch {
	case errors.Is(err, jose.ErrNoAlg):
		return newError(ErrAlgorithm, "alg", "header has no alg")
	case errors.Is(err, jose.ErrUnknownAlg):
		return v.algError(quoteID(hdr.AlgRaw))
	case errors.Is(err, jose.ErrKidTooLong), errors.Is(err, jose.ErrKidControl):
		return newError(ErrMalformed, "kid", err.Error())
	}
	return newError(ErrMalformed, "header", "header: "+err.Error())
}

func keyLookupError(err error, hdr jose.Header) error {
	switch {
	case errors.Is(err, ErrKeysUnavailable):
		return &ValidationError{Claim: "kid", Message: "keys unavailable: " + err.Error(), Err: ErrKeysUnavailable}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.Is(err, ErrKeyNotFound):
		return newError(ErrKeyNotFound, "kid", fmt.Sprintf("Key with ID %s was not found for the token's algorithm (%s)", quoteID(hdr.Kid), hdr.Alg))
	}
	return &ValidationError{Claim: "kid", Message: err.Error(), Err: ErrKeysUnavailable}
}

// quoteID quotes an attacker-controlled identifier for a message: escaped,
// and cut to 64 bytes.
func quoteID(b []byte) string {
	const limit = 64
	if len(b) > limit {
		return fmt.Sprintf("%q...", b[:limit])
	}
	return fmt.Sprintf("%q", b)
}

func quote(s string) string { return quoteID([]byte(s)) }

func (v *Verifier) nowSeconds() float64 {
	return float64(v.now().UnixNano()) / 1e9
}

// kindName is used in messages, after the Auth0 SDK's wording.
func (v *Verifier) kindName() string {
	if v.kind == IDToken {
		return "ID token"
	}
	return "access token"
}
