package dpop

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/tokengate/tokengate/internal/httpx"
	"github.com/tokengate/tokengate/internal/jose"
)

// Config configures a Verifier. The zero value of every field is the safe
// default: ES256 proofs, an iat window of ±60 s, no server nonces, an
// in-memory replay store, the request's own scheme and Host for htu.
type Config struct {
	// Algorithms is the allow list of proof algorithms. Default {"ES256"}.
	// Asymmetric algorithms only: ES256, ES384, ES512, EdDSA, Ed25519 (an
	// Ed25519 key, RFC 8037 and RFC 9864 names), RS256, RS384, RS512,
	// PS256, PS384, PS512. An HMAC algorithm or "none" is a configuration
	// error: a proof must be verifiable by its public key alone.
	Algorithms []string

	// Window is how far a proof's iat may be from now, before or after.
	// Default 60 s; at most 5 min. It is the one time tolerance: no leeway
	// is added on top of it, and a proof is remembered by the replay store
	// until iat + Window, the instant it can no longer pass.
	Window time.Duration

	// URL is the URL clients address this API by: scheme, host, an
	// optional port and an optional path prefix ("https://api.example.com",
	// "https://example.com/api" behind a proxy that strips /api). htu must
	// equal URL followed by the request's path (r.RequestURI, which
	// http.StripPrefix leaves alone). Recommended: with URL set, nothing
	// the client sends (Host, forwarded headers) decides what htu must be.
	//
	// When URL is empty, the scheme is https when the request came over TLS
	// and http otherwise, and the host is the request's Host header, which
	// must be a valid host (a name, IPv4 address or bracketed IPv6 address,
	// an optional port; no path, query, user info or other characters). A
	// client that reaches this server under another name can then present
	// a proof made for that name: set URL to tie proofs to this API.
	URL string

	// TrustedProxies are the reverse proxies whose ForwardedHost and
	// ForwardedProto headers are believed, by the address of the request's
	// immediate peer (r.RemoteAddr). From any other peer those headers are
	// ignored. Used only when URL is empty.
	TrustedProxies []netip.Prefix
	// ForwardedHost names the header that carries the host the client
	// used, as a trusted proxy sets it ("X-Forwarded-Host"). It must be
	// sent once with one value (configure the proxy to overwrite it, not
	// to append); otherwise the request is refused (ErrURL). Needs
	// TrustedProxies.
	ForwardedHost string
	// ForwardedProto names the header with the scheme ("X-Forwarded-Proto":
	// "http" or "https"), under the same rules. Needs TrustedProxies.
	ForwardedProto string

	// NonceSecret turns server nonces on (RFC 9449 section 9): every proof
	// must carry a nonce this Verifier issued, or it is refused with
	// ErrNonce, to be answered with use_dpop_nonce and a DPoP-Nonce header
	// (Verifier.Nonce). Nonces are stateless: an HMAC-SHA256 of a time slot
	// under this secret, so every replica with the same secret and a clock
	// within one slot accepts the others' nonces, without a shared store.
	// At least 32 bytes. Default: no nonces.
	NonceSecret []byte
	// NonceLifetime is the length of a nonce slot. A nonce issued during a
	// slot is accepted until the end of the next slot (so for between one
	// and two lifetimes), and also during the slot before its own (a
	// replica whose clock is behind); a proof whose nonce is not the
	// current one passes, and Proof.NextNonce holds the current nonce to
	// send back (rotation). Default 1 min; at least 10 s, at most 1 h.
	NonceLifetime time.Duration

	// Replay remembers every proof that passed, keyed by its key
	// thumbprint and jti, until it can no longer pass the iat window.
	// Default: a MemoryStore of DefaultMemoryEntries entries, which holds
	// for one process only; an API served by several replicas needs a
	// shared store (see ReplayStore).
	Replay ReplayStore

	// MaxProofSize bounds the proof in bytes; larger ones are refused
	// before decoding. Default 8 KiB.
	MaxProofSize int

	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Observer, when set, is told the outcome of every Verify call (for
	// metrics). It must be fast and must not retain the event; a panic in
	// it is stopped.
	Observer Observer
}

// ErrConfig is wrapped by every error New returns.
var ErrConfig = errors.New("dpop: invalid configuration")

func configError(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, a...)...)
}

const (
	defaultWindow        = 60 * time.Second
	maxWindow            = 5 * time.Minute
	defaultNonceLifetime = time.Minute
	minNonceLifetime     = 10 * time.Second
	maxNonceLifetime     = time.Hour
	minNonceSecret       = 32
	defaultMaxProofSize  = 8 << 10
	maxMaxProofSize      = 64 << 10
)

func (c *Config) validate() error {
	for _, a := range c.Algorithms {
		alg, ok := jose.ParseAlg(a)
		switch {
		case strings.EqualFold(strings.TrimSpace(a), "none"):
			return configError(`algorithm "none" is not supported`)
		case !ok:
			return configError("unsupported algorithm %q", a)
		case alg.Family() == jose.FamilyHMAC:
			return configError("%s is symmetric: a DPoP proof must be verifiable with its public key alone", a)
		}
	}
	if c.Window < 0 || c.Window > maxWindow {
		return configError("Window %v outside (0, %v]", c.Window, maxWindow)
	}
	if c.URL != "" {
		if _, err := parseBaseURL(c.URL); err != nil {
			return configError("URL: %v", err)
		}
		if len(c.TrustedProxies) > 0 || c.ForwardedHost != "" || c.ForwardedProto != "" {
			return configError("URL decides htu on its own: TrustedProxies, ForwardedHost and ForwardedProto would be ignored")
		}
	}
	if err := httpx.CheckProxies(c.TrustedProxies); err != nil {
		return configError("TrustedProxies: %v", err)
	}
	for _, h := range []string{c.ForwardedHost, c.ForwardedProto} {
		if h == "" {
			continue
		}
		if !validHeaderName(h) {
			return configError("invalid header name %q", h)
		}
		if len(c.TrustedProxies) == 0 {
			return configError("forwarded header %q needs TrustedProxies: from an unknown peer it is whatever the client sent", h)
		}
	}
	if len(c.TrustedProxies) > 0 && c.ForwardedHost == "" && c.ForwardedProto == "" {
		return configError("TrustedProxies without ForwardedHost or ForwardedProto has no effect")
	}
	if c.NonceSecret != nil && len(c.NonceSecret) < minNonceSecret {
		return configError("NonceSecret of %d bytes; want at least %d", len(c.NonceSecret), minNonceSecret)
	}
	if c.NonceLifetime != 0 {
		if c.NonceSecret == nil {
			return configError("NonceLifetime without NonceSecret")
		}
		if c.NonceLifetime < minNonceLifetime || c.NonceLifetime > maxNonceLifetime {
			return configError("NonceLifetime %v outside [%v, %v]", c.NonceLifetime, minNonceLifetime, maxNonceLifetime)
		}
	}
	if c.MaxProofSize < 0 || c.MaxProofSize > maxMaxProofSize {
		return configError("MaxProofSize %d outside [0, %d]", c.MaxProofSize, maxMaxProofSize)
	}
	return nil
}

// validHeaderName reports whether s is an RFC 9110 field name (a token).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", b) >= 0:
		default:
			return false
		}
	}
	return true
}
