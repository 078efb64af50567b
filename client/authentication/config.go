package authentication

import (
	"crypto"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"reflect"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/internal/rest"
	"github.com/tokengate/tokengate/verifier"
)

// Config configures a Client. The zero value is a public client of no
// application: only UserInfo and the endpoints that send no client_id work
// without a ClientID. New validates it.
type Config struct {
	// ClientID is the application's client ID, sent by every endpoint but
	// UserInfo.
	ClientID string
	// ClientSecret authenticates the application (client_secret_post) on
	// the endpoints that authenticate it. ClientAssertionKey, when also
	// set, wins.
	ClientSecret string
	// ClientAssertionKey authenticates the application with
	// private_key_jwt: every request that authenticates it carries a new
	// client assertion signed with this key. ParsePrivateKeyPEM reads a PEM
	// key, as the Auth0 SDKs take it.
	ClientAssertionKey crypto.Signer
	// ClientAssertionAlg is the algorithm of the assertions: RS256 (the
	// default when empty), RS384, RS512, PS256, PS384, PS512, ES256, ES384,
	// ES512 or EdDSA. New checks that it fits the key.
	ClientAssertionAlg string
	// IDTokenVerifier, when set, verifies every ID token a token endpoint
	// returns (an ID-token verifier: Kind verifier.IDToken, audience the
	// client ID). A token that fails makes the call fail and none of the
	// answer's tokens are returned. Without it ID tokens are returned
	// unverified, and calls that ask for ID-token checks fail with
	// ErrNoIDTokenVerifier.
	IDTokenVerifier *verifier.Verifier
	// HTTP is the HTTP behaviour: timeout, retries, hooks, clock (its Now
	// also dates client assertions and TokenResponse.ExpiresAt).
	HTTP client.Config
}

// String describes c without its credentials, so that printing or
// logging a Config never shows the client secret or the key.
func (c Config) String() string {
	return fmt.Sprintf("authentication.Config{client_id=%q auth=%s}", c.ClientID, authKind(c.ClientAssertionKey != nil, c.ClientAssertionAlg, c.ClientSecret != ""))
}

// GoString is String, for %#v.
func (c Config) GoString() string { return c.String() }

// LogValue is String, for log/slog.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// authKind names how an application authenticates, without the secret.
func authKind(key bool, alg string, secret bool) string {
	switch {
	case key:
		if alg == "" {
			alg = "RS256"
		}
		return "private_key_jwt " + alg
	case secret:
		return "client_secret"
	}
	return "none"
}

// New returns a Client for the tenant domain ("tenant.auth0.com"; a value
// with a scheme, such as "http://127.0.0.1:8080", is used as the base URL as
// it is: see client.BaseURL). It refuses credentials without a ClientID, an
// assertion algorithm that does not fit the key, an RSA key under 2048
// bits, and an invalid HTTP config.
func New(domain string, cfg Config) (*Client, error) {
	key := cfg.ClientAssertionKey
	if key != nil && isNil(key) {
		return nil, errors.New("authentication: nil ClientAssertionKey")
	}
	if key == nil && cfg.ClientAssertionAlg != "" {
		return nil, errors.New("authentication: ClientAssertionAlg without ClientAssertionKey")
	}
	if (cfg.ClientSecret != "" || key != nil) && cfg.ClientID == "" {
		return nil, errors.New("authentication: client credentials need a ClientID")
	}
	rc, err := rest.New(domain, "authentication", cfg.HTTP)
	if err != nil {
		return nil, err
	}
	c := &Client{
		rest:     rc,
		baseURL:  rc.BaseURL(),
		clientID: cfg.ClientID,
		verifier: cfg.IDTokenVerifier,
		now:      rc.Now,
	}
	if key != nil {
		alg, err := checkAssertionKey(key, cfg.ClientAssertionAlg)
		if err != nil {
			return nil, err
		}
		c.signer = &signer{key: key, alg: alg, clientID: cfg.ClientID, audience: c.baseURL + "/", now: rc.Now}
	} else {
		c.secret = cfg.ClientSecret
	}
	return c, nil
}

// isNil reports whether a non-nil key interface holds a nil pointer or an
// Ed25519 key of the wrong size, whose Public method would panic.
func isNil(key crypto.Signer) bool {
	if k, ok := key.(ed25519.PrivateKey); ok {
		return len(k) != ed25519.PrivateKeySize
	}
	v := reflect.ValueOf(key)
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Interface, reflect.Chan:
		return v.IsNil()
	}
	return false
}
