package jwks

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/tokengate/tokengate/internal/strictjson"
	"github.com/tokengate/tokengate/internal/tenant"
)

// maxDiscoveryBody caps the OpenID configuration document.
const maxDiscoveryBody = 1 << 20

// DiscoverOption changes what Discover accepts.
type DiscoverOption func(*discoverOptions)

type discoverOptions struct{ sameOrigin bool }

// SameOrigin makes Discover refuse a jwks_uri whose scheme, host and port
// differ from the issuer's (auth0/go-jwt-middleware calls it
// StrictJWKSURIOrigin). Off by default: some providers serve keys from
// another host.
func SameOrigin() DiscoverOption {
	return func(o *discoverOptions) { o.sameOrigin = true }
}

// Discover reads the OpenID Provider configuration of issuer (OpenID
// Connect Discovery 1.0 section 4) and returns its jwks_uri, for
// Config.URL.
//
// It GETs issuer + "/.well-known/openid-configuration" (one trailing slash
// of issuer is dropped first, so "https://login.example.com/" and
// "https://login.example.com" both work) with hc, or with a client of this
// package when hc is nil. Whatever the client, the request has a 5 s
// deadline, redirects stay on the issuer's origin, the body is capped at
// 1 MiB, and TLS verification is enforced as for Config.HTTPClient.
//
// The document must be strict JSON whose "issuer" equals issuer exactly
// (RFC 8414 section 3.3: a mix-up defence) and whose "jwks_uri" is https;
// plain http only for a loopback host, and only when issuer itself is
// plain http on loopback. The issuers verifier.New refuses (a bare host
// name; on an Auth0 host anything but "https://" + host + "/") are refused
// before any request, wrapped in ErrConfig, with the fix. Errors wrap ErrDiscovery, ErrInsecureURL,
// ErrInsecureTLS, ErrConfig, ErrStatus, ErrBodyTooLarge or the network
// error.
func Discover(ctx context.Context, issuer string, hc *http.Client, opts ...DiscoverOption) (string, error) {
	var o discoverOptions
	for _, opt := range opts {
		opt(&o)
	}
	if m := tenant.IssuerMistake(issuer); m != "" {
		return "", configError("issuer %s %s", tenant.Quote(issuer), m)
	}
	if _, err := checkURL(issuer); err != nil {
		return "", err
	}
	client, tr, err := httpClient(hc, DefaultFetchTimeout)
	if err != nil {
		return "", err
	}
	if tr != nil {
		defer tr.CloseIdleConnections()
	}
	ctx, cancel := context.WithTimeout(ctx, DefaultFetchTimeout)
	defer cancel()
	docURL := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, docURL, nil)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrDiscovery, err)
	}
	req.Header.Set("Accept", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("jwks: discovery at %s: %w %d", docURL, ErrStatus, res.StatusCode)
	}
	body, err := readBody(res, maxDiscoveryBody)
	if err != nil {
		return "", fmt.Errorf("jwks: discovery at %s: %w", docURL, err)
	}
	return parseDiscovery(body, issuer, o.sameOrigin)
}

// parseDiscovery checks a discovery document and returns its jwks_uri.
func parseDiscovery(body []byte, issuer string, strictOrigin bool) (string, error) {
	if err := strictjson.ValidObject(body); err != nil {
		return "", fmt.Errorf("%w: %v", ErrDiscovery, err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return "", fmt.Errorf("%w: %v", ErrDiscovery, err)
	}
	iss, ok, err := str(m, "issuer")
	switch {
	case err != nil:
		return "", fmt.Errorf("%w: %v", ErrDiscovery, err)
	case !ok:
		return "", fmt.Errorf("%w: no issuer", ErrDiscovery)
	case iss != issuer:
		return "", fmt.Errorf("%w: issuer %s is not %s", ErrDiscovery, quote(iss), quote(issuer))
	}
	uri, ok, err := str(m, "jwks_uri")
	switch {
	case err != nil:
		return "", fmt.Errorf("%w: %v", ErrDiscovery, err)
	case !ok || uri == "":
		return "", fmt.Errorf("%w: no jwks_uri", ErrDiscovery)
	}
	u, err := checkURL(uri)
	if err != nil {
		return "", fmt.Errorf("%w: jwks_uri: %w", ErrDiscovery, err)
	}
	iu, err := checkURL(issuer)
	if err != nil {
		return "", err
	}
	// The keys are trusted for the channel the issuer was reached over
	// (OpenID Connect Discovery section 7, RFC 8414 section 3): plain http
	// on loopback is for an issuer that is itself plain http on loopback
	// (tests, local tenants), never for an https issuer.
	if u.Scheme == "http" && iu.Scheme != "http" {
		return "", fmt.Errorf("%w: jwks_uri: %w: plain http for the keys of an https issuer", ErrDiscovery, ErrInsecureURL)
	}
	if strictOrigin {
		if !sameOrigin(u, iu) {
			return "", fmt.Errorf("%w: jwks_uri %s is not on the issuer's origin", ErrDiscovery, quote(uri))
		}
	}
	return uri, nil
}
