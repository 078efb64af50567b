package dpop

import (
	"context"
	"crypto/subtle"
	"errors"
	"hash/maphash"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tokengate/tokengate/internal/httpx"
	"github.com/tokengate/tokengate/internal/jose"
)

// Verifier checks DPoP proofs under one configuration. It is safe for
// concurrent use. Build it once with New and share it.
type Verifier struct {
	algs     [16]bool
	algList  []string
	window   time.Duration
	base     string // the normalized Config.URL, "" when the request decides
	proxies  httpx.Proxies
	fwdHost  string
	fwdProto string
	nonces   *nonceSource // nil: nonces off
	store    ReplayStore
	maxSize  int
	now      func() time.Time
	obs      Observer
	caches   caches
}

// New checks cfg and returns a Verifier.
func New(cfg Config) (*Verifier, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	v := &Verifier{
		window:   cfg.Window,
		proxies:  append(httpx.Proxies(nil), cfg.TrustedProxies...),
		fwdHost:  cfg.ForwardedHost,
		fwdProto: cfg.ForwardedProto,
		store:    cfg.Replay,
		maxSize:  cfg.MaxProofSize,
		now:      cfg.Now,
		obs:      cfg.Observer,
	}
	v.caches.seed = maphash.MakeSeed()
	if v.window == 0 {
		v.window = defaultWindow
	}
	if v.maxSize == 0 {
		v.maxSize = defaultMaxProofSize
	}
	if v.now == nil {
		v.now = time.Now
	}
	algs := cfg.Algorithms
	if len(algs) == 0 {
		algs = []string{"ES256"}
	}
	for _, name := range algs {
		a, _ := jose.ParseAlg(name)
		if !v.algs[a] {
			v.algs[a] = true
			v.algList = append(v.algList, name)
		}
	}
	if cfg.URL != "" {
		v.base, _ = parseBaseURL(cfg.URL) // validated
	}
	if cfg.NonceSecret != nil {
		life := cfg.NonceLifetime
		if life == 0 {
			life = defaultNonceLifetime
		}
		v.nonces = newNonceSource(cfg.NonceSecret, life)
	}
	if v.store == nil {
		s, err := NewMemoryStore(MemoryConfig{Now: v.now})
		if err != nil {
			return nil, err
		}
		v.store = s
	}
	return v, nil
}

// Algorithms returns the accepted proof algorithms, for the algs parameter
// of a WWW-Authenticate: DPoP challenge (RFC 9449 section 7.1).
func (v *Verifier) Algorithms() []string { return append([]string(nil), v.algList...) }

// Nonce returns the nonce to send in a DPoP-Nonce header now, or "" when
// Config.NonceSecret is not set.
func (v *Verifier) Nonce() string {
	if v.nonces == nil {
		return ""
	}
	return v.nonces.current(v.now())
}

// NoncesRequired reports whether proofs must carry a server nonce.
func (v *Verifier) NoncesRequired() bool { return v.nonces != nil }

// Request is what a proof is checked against.
type Request struct {
	// Method is the request's method; htm must equal it exactly.
	Method string
	// URL is the request's absolute URL as the client addressed it (see
	// Verifier.RequestURL); htu must equal it, query and fragment ignored,
	// after RFC 3986 syntax- and scheme-based normalization.
	URL string
	// AccessToken is the access token the request carries; ath must be the
	// base64url SHA-256 of it. Required unless Issuing.
	AccessToken string
	// JKT is the access token's cnf.jkt; the proof's key must have this
	// RFC 7638 thumbprint. Required unless Issuing.
	JKT string
	// Issuing marks a proof sent to a token endpoint (RFC 9449 section 5):
	// there is no access token yet, so AccessToken and JKT may be empty
	// (each is checked when given), and Proof.JKT is the key to bind the
	// new token to.
	Issuing bool
}

// Proof is a proof that passed.
type Proof struct {
	JKT       string    // RFC 7638 SHA-256 thumbprint of the proof key, base64url
	ID        string    // jti
	IssuedAt  time.Time // iat
	Algorithm string    // alg
	// NextNonce, when not empty, is the current server nonce: the proof
	// carried an older one that is still accepted. Send it in a DPoP-Nonce
	// response header so the client moves to it (rotation).
	NextNonce string
}

// Verify checks proof, the value of a request's DPoP header, against req,
// in the order of RFC 9449 section 4.3: size, compact JWS in canonical
// base64url, the header (strict JSON; typ dpop+jwt; alg in
// Config.Algorithms; a public jwk that fits alg and passes the key policy
// of verifier.NewKey), the key's thumbprint against req.JKT (before the
// signature, so that a proof with the wrong key costs no signature check),
// the signature with that jwk, then the claims (strict JSON; jti, htm, htu
// and iat required), htm, htu, the nonce when Config.NonceSecret is set, iat
// within Config.Window, ath against req.AccessToken, and last the replay
// store, which records the proof until iat + Window; a proof seen before
// fails with ErrReplay. Nothing of the claims is read before the signature
// verifies. Every error wraps one sentinel (see Reason) in an *Error.
func (v *Verifier) Verify(ctx context.Context, proof string, req Request) (Proof, error) {
	t0 := v.start()
	p, err := v.verify(ctx, proof, &req)
	if v.obs != nil {
		v.observe(ctx, Event{Err: err, Algorithm: p.Algorithm}, t0)
	}
	if err != nil {
		return Proof{Algorithm: p.Algorithm}, err
	}
	return p, nil
}

// maxSignature bounds the decoded signature: an RSA-8192 signature.
const maxSignature = 1024

func (v *Verifier) verify(ctx context.Context, proof string, req *Request) (Proof, error) {
	var p Proof
	if !req.Issuing {
		if req.JKT == "" {
			return p, fail(ErrNotBound, "the access token has no cnf.jkt")
		}
		if req.AccessToken == "" {
			return p, fail(ErrTokenHash, "no access token to check ath against")
		}
	}
	if proof == "" {
		return p, fail(ErrMissing, "")
	}
	if len(proof) > v.maxSize {
		return p, fail(ErrMalformed, "proof larger than the configured maximum")
	}
	dot1, dot2, err := jose.Split(proof)
	if err != nil {
		return p, fail(ErrMalformed, err.Error())
	}
	slen := jose.DecodedLen(len(proof) - dot2 - 1)
	if slen > maxSignature {
		return p, fail(ErrSignature, "signature too long")
	}
	seg := proof[:dot1]
	ph, ok := v.caches.header(seg)
	if !ok {
		if ph, err = v.parseHeader(seg); err != nil {
			p.Algorithm = ph.alg.String()
			return p, err
		}
		v.caches.putHeader(seg, ph)
	}
	key := ph.key
	p.Algorithm = ph.alg.String()
	p.JKT = key.jkt
	if req.JKT != "" && key.jkt != req.JKT {
		return p, fail(ErrBinding, "")
	}
	buf := make([]byte, jose.DecodedLen(dot2-dot1-1))
	payload, err := jose.Decode(buf, proof[dot1+1:dot2])
	if err != nil {
		return p, fail(ErrMalformed, "payload: "+err.Error())
	}
	var sbuf [maxSignature]byte
	sig, err := jose.Decode(sbuf[:], proof[dot2+1:])
	if err != nil {
		return p, fail(ErrMalformed, "signature: "+err.Error())
	}
	if !key.verify(ph.alg, proof[:dot2], sig) {
		return p, fail(ErrSignature, "")
	}
	c, err := parseClaims(payload)
	if err != nil {
		return p, err
	}
	p.ID = c.jti
	p.IssuedAt = unixTime(c.iat)
	if c.htm != req.Method {
		return p, fail(ErrMethod, "")
	}
	if !matchURL(c.htu, req.URL) {
		return p, fail(ErrURL, "")
	}
	now := v.now()
	if v.nonces != nil {
		next, err := v.nonces.check(c.nonce, c.hasNonce, now)
		if err != nil {
			return p, err
		}
		p.NextNonce = next
	}
	// In time.Time, not float seconds: the window and the replay expiry
	// must agree to the nanosecond.
	switch {
	case now.Sub(p.IssuedAt) > v.window:
		return p, fail(ErrIssuedAt, "iat too old")
	case p.IssuedAt.Sub(now) > v.window:
		return p, fail(ErrIssuedAt, "iat in the future")
	}
	if req.AccessToken != "" {
		if !c.hasAth {
			return p, fail(ErrTokenHash, "ath missing")
		}
		if !v.tokenHashMatches(c.ath, req.AccessToken) {
			return p, fail(ErrTokenHash, "")
		}
	}
	expires := p.IssuedAt.Add(v.window)
	if err := v.remember(ctx, key.jkt, c.jti, now, expires); err != nil {
		return p, storeError(err)
	}
	return p, nil
}

// storeError maps a ReplayStore error to the proof's refusal.
func storeError(err error) error {
	switch {
	case errors.Is(err, ErrReplay):
		return fail(ErrReplay, "")
	case errors.Is(err, ErrStoreFull):
		return fail(ErrStoreFull, "")
	}
	return &Error{Err: ErrStoreUnavailable, cause: err}
}

// isProofType reports whether typ is dpop+jwt, compared as a media type:
// case-insensitively, with or without "application/" (RFC 7515 section
// 4.1.9).
func isProofType(typ []byte) bool {
	t := string(typ)
	if len(t) > len("application/") && strings.EqualFold(t[:len("application/")], "application/") {
		t = t[len("application/"):]
	}
	return strings.EqualFold(t, "dpop+jwt")
}

// tokenHashMatches reports whether ath is the canonical base64url SHA-256
// of token (RFC 9449 section 4.2).
func (v *Verifier) tokenHashMatches(ath, token string) bool {
	if len(ath) != 43 {
		return false
	}
	var buf [32]byte
	got, err := jose.Decode(buf[:], ath)
	if err != nil || len(got) != 32 {
		return false
	}
	sum := v.caches.tokenHash(token)
	return subtle.ConstantTimeCompare(got, sum[:]) == 1
}

// parseHeader checks a header segment the cache did not know: canonical
// base64url, UTF-8, the strict JOSE header policy, typ dpop+jwt, an allowed
// alg, and a public jwk that fits it (parseJWK).
func (v *Verifier) parseHeader(seg string) (proofHeader, error) {
	var ph proofHeader
	hlen := jose.DecodedLen(len(seg))
	if hlen > jose.MaxHeader {
		return ph, fail(ErrMalformed, "header too large")
	}
	hb, err := jose.Decode(make([]byte, hlen), seg)
	if err != nil {
		return ph, fail(ErrMalformed, "header: "+err.Error())
	}
	if !utf8.Valid(hb) {
		return ph, fail(ErrMalformed, "header is not UTF-8")
	}
	hdr, err := jose.ParseHeader(hb)
	if err != nil {
		if errors.Is(err, jose.ErrNoAlg) || errors.Is(err, jose.ErrUnknownAlg) {
			return ph, fail(ErrAlgorithm, "alg is absent or not a supported asymmetric algorithm (none is not one)")
		}
		return ph, fail(ErrMalformed, "header: "+err.Error())
	}
	ph.alg = hdr.Alg
	if !hdr.HasTyp || !isProofType(hdr.Typ) {
		return ph, fail(ErrType, "typ must be dpop+jwt")
	}
	if !v.algs[hdr.Alg] {
		if hdr.Alg.Family() == jose.FamilyHMAC {
			return ph, fail(ErrAlgorithm, "alg "+hdr.Alg.String()+" is symmetric")
		}
		return ph, fail(ErrAlgorithm, "alg "+hdr.Alg.String()+" is not allowed")
	}
	if hdr.JWK == nil {
		return ph, fail(ErrKey, "header has no jwk")
	}
	if ph.key, err = parseJWK(hdr.JWK, hdr.Alg); err != nil {
		return ph, err
	}
	return ph, nil
}
