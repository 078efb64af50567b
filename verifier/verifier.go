package verifier

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unsafe"

	"github.com/tokengate/tokengate/internal/jose"
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
	resolver IssuerResolver       // Config.Resolver, in place of issuer and keys
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
	hits     bool // obs wants the hits that return claims, timed (HitObserver)
	log      *slog.Logger
	cache    *tokenCache
	// maxActors is the longest act chain accepted (Config.MaxActorDepth).
	maxActors int
	// revocations is Config.Revocations, consulted on every Verify.
	revocations RevocationSet
	// maxTokenAge is Config.MaxTokenAge (0: off); checkTimes applies it.
	maxTokenAge time.Duration
	// dec is Config.Decryption, checked; nil when JWE is not accepted.
	dec *decryption
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
		resolver: cfg.Resolver,
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
	v.maxActors = cfg.MaxActorDepth
	dec, err := cfg.Decryption.validate()
	if err != nil {
		return nil, err
	}
	v.dec = dec
	v.revocations = cfg.Revocations
	v.maxTokenAge = cfg.MaxTokenAge
	if v.maxActors == 0 {
		v.maxActors = defaultMaxActorDepth
	}
	v.count = cfg.Observer != nil
	v.hits = cfg.Observer != nil && wantsHits(cfg.Observer)
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
	case cfg.Kind == LogoutToken:
		// Each logout token is delivered once (a second delivery is a
		// replay, refused by the endpoint): caching them buys nothing.
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
	c, _, err := v.run(ctx, token, opts, nil)
	return c, err
}

// run is Verify, with the extension ext when not nil; it also returns
// what ext returned.
func (v *Verifier) run(ctx context.Context, token string, opts []Option, ext *extension) (*Claims, unsafe.Pointer, error) {
	if v.hits {
		return v.runTimed(ctx, token, opts, ext)
	}
	if c, val, alg, err, ok := v.cached(ctx, token, opts, ext); ok {
		// A hit that returns claims was counted (Stats), not observed.
		if err != nil {
			if v.obs != nil {
				// No clock reads on a hit: two would cost more than the hit.
				v.observe(ctx, Event{Err: err, CacheHit: true, Algorithm: alg.String()})
			}
			if v.log != nil {
				v.logFailure(ctx, err, alg, nil, true)
			}
		}
		return c, val, err
	}
	if v.obs == nil && v.log == nil {
		c, val, _, _, err := v.verify(ctx, token, opts, ext, nil)
		return c, val, err
	}
	var start time.Time
	if v.obs != nil {
		start = time.Now()
	}
	return v.miss(ctx, token, opts, ext, start)
}

// miss verifies a token the cache did not answer for, and reports it.
func (v *Verifier) miss(ctx context.Context, token string, opts []Option, ext *extension, start time.Time) (*Claims, unsafe.Pointer, error) {
	var st decryptStat
	var ds *decryptStat
	if v.obs != nil && v.dec != nil {
		ds = &st
	}
	c, val, alg, kid, err := v.verify(ctx, token, opts, ext, ds)
	if v.obs != nil {
		e := Event{Err: err, Algorithm: alg.String(), Start: start, Duration: time.Since(start)}
		if ds != nil {
			e.Decrypted, e.DecryptDuration = ds.done, ds.duration
		}
		v.observe(ctx, e)
	}
	if err != nil && v.log != nil {
		v.logFailure(ctx, err, alg, kid, false)
	}
	return c, val, err
}

// runTimed is run for an Observer that wants every cache hit (a
// HitObserver): each hit is an Event, timed, as a miss is.
func (v *Verifier) runTimed(ctx context.Context, token string, opts []Option, ext *extension) (*Claims, unsafe.Pointer, error) {
	start := time.Now()
	c, val, alg, err, ok := v.cached(ctx, token, opts, ext)
	if !ok {
		return v.miss(ctx, token, opts, ext, start)
	}
	v.observe(ctx, Event{Err: err, CacheHit: true, Algorithm: alg.String(), Start: start, Duration: time.Since(start)})
	if err != nil && v.log != nil {
		v.logFailure(ctx, err, alg, nil, true)
	}
	return c, val, err
}

// cached answers from the verified-token cache; ok is false on a miss. A
// hit re-checks the time claims and that the key is still in use, and
// still applies the per-call options and ext; a hit that returns claims is
// counted when an Observer is set.
func (v *Verifier) cached(ctx context.Context, token string, opts []Option, ext *extension) (c *Claims, val unsafe.Pointer, alg jose.Alg, err error, ok bool) {
	// Tokens above maxCachedSize are never cached, unless encrypted: skip
	// hashing them.
	if v.cache == nil || len(token) > maxCachedSize && !v.cachesLarge(token) {
		return nil, nil, 0, nil, false
	}
	e, sh := v.cache.get(token)
	if e == nil {
		return nil, nil, 0, nil, false
	}
	now := v.nowSeconds()
	if e.key.retired() || v.checkTimes(e.claims, now) != nil {
		v.cache.remove(token, e)
		return nil, nil, 0, nil, false
	}
	if v.resolver != nil {
		// The token verified for some request; this one must allow its
		// issuer too (another host may be another tenant).
		if _, err := v.resolve(ctx, e.claims.Issuer); err != nil {
			return nil, nil, e.key.alg, err, true
		}
	}
	if err := v.checkOptions(e.claims, now, opts, nil); err != nil {
		return nil, nil, e.key.alg, err, true
	}
	if v.revocations != nil {
		if err := v.checkRevoked(ctx, e.claims); err != nil {
			return nil, nil, e.key.alg, err, true
		}
	}
	if ext != nil {
		if val, err = v.extend(ctx, ext, e.claims, nil); err != nil {
			return nil, nil, e.key.alg, err, true
		}
	}
	if v.count {
		sh.hits.Add(1)
	}
	return e.claims, val, e.key.alg, nil, true
}

// verify checks a token the cache did not answer for, and caches it when it
// passes every check of the configuration. It also returns the header's kid
// (nil when absent or refused) for the log.
func (v *Verifier) verify(ctx context.Context, token string, opts []Option, ext *extension, ds *decryptStat) (*Claims, unsafe.Pointer, jose.Alg, []byte, error) {
	if len(token) > v.maxSize {
		return nil, nil, 0, nil, newError(ErrMalformed, "token", "token larger than the configured maximum")
	}
	inner, encrypted, err := v.unwrap(token, ds)
	if err != nil {
		return nil, nil, 0, nil, err
	}
	payload, key, alg, hdr, iss, err := v.verifySignature(ctx, inner)
	if err != nil {
		return nil, nil, alg, hdr.Kid, err
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
	// The members a Typed decodes are recorded as the claims are parsed,
	// in an index on this stack (it does not escape), zeroed only then.
	var idx *memberIndex
	if ext != nil {
		idx = new(memberIndex)
	}
	if err := parseClaims(payload, c, v.required, pres, v.maxActors, idx); err != nil {
		return nil, nil, alg, hdr.Kid, err
	}
	if v.resolver != nil && c.Issuer != iss {
		// The same bytes gave iss: never true unless the two parses of the
		// payload disagree. The keys were iss's: refuse.
		return nil, nil, alg, hdr.Kid, newError(ErrIssuer, "iss", "Issuer (iss) claim mismatch in the "+v.kindName())
	}
	now := v.nowSeconds()
	if err := v.checkClaims(c, now, pres); err != nil {
		return nil, nil, alg, hdr.Kid, err
	}
	// azp is a configuration check, reported after nonce and organization
	// (checkOptions); only tokens that pass it are cached.
	party := v.checkParty(c)
	if party == nil && v.cache != nil {
		// The key is the token as sent: an encrypted token's repeat is a
		// hit, with no decryption.
		v.cache.put(token, c, key, encrypted)
	}
	if err := v.checkOptions(c, now, opts, party); err != nil {
		return nil, nil, alg, hdr.Kid, err
	}
	if v.revocations != nil {
		if err := v.checkRevoked(ctx, c); err != nil {
			return nil, nil, alg, hdr.Kid, err
		}
	}
	var val unsafe.Pointer
	if ext != nil {
		if val, err = v.extend(ctx, ext, c, idx); err != nil {
			return nil, nil, alg, hdr.Kid, err
		}
	}
	return c, val, alg, hdr.Kid, nil
}

func (v *Verifier) nowSeconds() float64 {
	return float64(v.now().UnixNano()) / 1e9
}

// kindName is used in messages, after the Auth0 SDK's wording.
func (v *Verifier) kindName() string {
	switch v.kind {
	case IDToken:
		return "ID token"
	case LogoutToken:
		return "logout token"
	}
	return "access token"
}
