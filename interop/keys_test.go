package interop

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// keys is what the tests verify with. keySource is the only function that
// decides where it comes from.
type keys struct {
	verifier.KeySource
	// Refresh re-reads the JWKS now, as a periodic refresh would.
	Refresh func(ctx context.Context) error
	// Fetches counts the JWKS requests made so far.
	Fetches func() int64
}

// keySource returns the provider's signing keys as the tests' KeySource.
//
// Today it discovers jwks_uri and fetches it into a verifier.KeySet, with
// the behaviour the remote key set will have: one refetch when a kid is
// unknown, keys that vanish are retired. When the jwks package lands this
// body becomes jwks.Discover + jwks.New(jwks.Config{URL, HTTPClient: hc})
// with the same counting client, Refresh mapped to the cache's refresh; no
// test changes.
func keySource(t *testing.T, issuer string) *keys {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	ct := &countingTransport{base: http.DefaultTransport.(*http.Transport).Clone()}
	hc := &http.Client{
		Timeout:   requestTimeout,
		Transport: ct,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	jwksURL, err := discover(ctx, hc, issuer)
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	ct.path = jwksURL.Path
	f := &fetchedKeys{hc: hc, url: jwksURL.String()}
	if err := f.refresh(ctx); err != nil {
		t.Fatalf("first JWKS fetch: %v", err)
	}
	return &keys{KeySource: f, Refresh: f.refresh, Fetches: ct.n.Load}
}

// countingTransport counts requests to one path (the JWKS).
type countingTransport struct {
	base http.RoundTripper
	path string
	n    atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if c.path != "" && r.URL.Path == c.path {
		c.n.Add(1)
	}
	return c.base.RoundTrip(r)
}

func getJSON(ctx context.Context, hc *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	return json.Unmarshal(body, v)
}

// discover reads the provider's metadata: its issuer must be ours exactly,
// and jwks_uri on the same origin.
func discover(ctx context.Context, hc *http.Client, issuer string) (*url.URL, error) {
	var meta struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := getJSON(ctx, hc, issuer+"/.well-known/openid-configuration", &meta); err != nil {
		return nil, err
	}
	if meta.Issuer != issuer {
		return nil, fmt.Errorf("metadata issuer %q, want %q", meta.Issuer, issuer)
	}
	u, err := url.Parse(meta.JWKSURI)
	if err != nil {
		return nil, err
	}
	if u.Scheme+"://"+u.Host != issuer {
		return nil, fmt.Errorf("jwks_uri %q is not on the issuer's origin", meta.JWKSURI)
	}
	return u, nil
}

// fetchedKeys is a JWKS snapshot behind an atomic pointer.
type fetchedKeys struct {
	hc  *http.Client
	url string

	mu  sync.Mutex // one refresh at a time
	gen atomic.Uint64
	set atomic.Pointer[verifier.KeySet]
}

func (f *fetchedKeys) Key(ctx context.Context, kid, alg string) (*verifier.Key, error) {
	g := f.gen.Load()
	k, err := f.set.Load().Key(ctx, kid, alg)
	if !errors.Is(err, verifier.ErrKeyNotFound) {
		return k, err
	}
	// An unknown kid is the signal to refetch (OIDC Core 10.1.1): once,
	// and not again if another caller refreshed meanwhile.
	f.mu.Lock()
	if f.gen.Load() == g {
		err = f.refreshLocked(ctx)
	}
	f.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", verifier.ErrKeysUnavailable, err)
	}
	return f.set.Load().Key(ctx, kid, alg)
}

func (f *fetchedKeys) refresh(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refreshLocked(ctx)
}

func (f *fetchedKeys) refreshLocked(ctx context.Context) error {
	var set struct {
		Keys []jwk `json:"keys"`
	}
	if err := getJSON(ctx, f.hc, f.url, &set); err != nil {
		return err
	}
	old := f.set.Load()
	var ks []*verifier.Key
	for _, j := range set.Keys {
		k, err := j.key()
		if err != nil {
			continue // unusable keys are ignored, not fatal (RFC 7517 section 5)
		}
		// Keep the Key a previous snapshot had, so tokens it verified stay
		// in the verified-token cache.
		for _, o := range old.Keys() {
			if o.Equal(k) {
				k = o
				break
			}
		}
		ks = append(ks, k)
	}
	next, err := verifier.NewKeySet(ks...)
	if err != nil {
		return err
	}
	if next.Len() == 0 {
		return errors.New("JWKS has no usable key")
	}
	f.set.Store(next)
	f.gen.Add(1)
	// Keys no longer published are withdrawn at once, also from the
	// verifier's cache (SECURITY-CASES F5).
	for _, o := range old.Keys() {
		if !next.Has(o.ID(), o.Algorithm()) {
			o.Retire()
		}
	}
	return nil
}

type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
	N   string `json:"n"`
	E   string `json:"e"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

func b64(s string) ([]byte, error) {
	return base64.RawURLEncoding.Strict().DecodeString(s)
}

// key decodes a public signing JWK with the standard library and binds it
// to its alg with verifier.NewKey.
func (j jwk) key() (*verifier.Key, error) {
	if j.Use != "" && j.Use != "sig" {
		return nil, fmt.Errorf("use %q", j.Use)
	}
	var pub any
	switch j.Kty {
	case "RSA":
		n, err := b64(j.N)
		if err != nil {
			return nil, err
		}
		e, err := b64(j.E)
		if err != nil {
			return nil, err
		}
		eb := new(big.Int).SetBytes(e)
		if !eb.IsInt64() || eb.Int64() > 1<<31-1 {
			return nil, errors.New("e out of range")
		}
		pub = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(eb.Int64())}
	case "EC":
		curves := map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}
		curve, ok := curves[j.Crv]
		if !ok {
			return nil, fmt.Errorf("crv %q", j.Crv)
		}
		x, err := b64(j.X)
		if err != nil {
			return nil, err
		}
		y, err := b64(j.Y)
		if err != nil {
			return nil, err
		}
		size := (curve.Params().BitSize + 7) / 8
		if len(x) != size || len(y) != size {
			return nil, errors.New("EC coordinates of the wrong size")
		}
		p, err := ecdsa.ParseUncompressedPublicKey(curve, append(append([]byte{4}, x...), y...))
		if err != nil {
			return nil, err
		}
		pub = p
	case "OKP":
		x, err := b64(j.X)
		if err != nil {
			return nil, err
		}
		if j.Crv != "Ed25519" || len(x) != ed25519.PublicKeySize {
			return nil, errors.New("not an Ed25519 key")
		}
		pub = ed25519.PublicKey(x)
	default:
		return nil, fmt.Errorf("kty %q", j.Kty)
	}
	return verifier.NewKey(j.Kid, j.Alg, pub)
}
