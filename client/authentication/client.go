package authentication

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"time"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/internal/rest"
	"github.com/tokengate/tokengate/verifier"
)

// ErrNoClientID is returned by the methods that need a client ID when the
// Client was built without WithClientID.
var ErrNoClientID = errors.New("authentication: no client ID configured")

// Client calls the Authentication API of one tenant as one application.
// It is safe for concurrent use.
type Client struct {
	rest     *rest.Client
	baseURL  string
	clientID string
	secret   string
	signer   *signer
	verifier *verifier.Verifier
	now      func() time.Time
}

type config struct {
	clientID string
	secret   string
	key      crypto.Signer
	keyPEM   []byte
	alg      string
	verifier *verifier.Verifier
	http     client.Config
	now      func() time.Time
	err      error
}

// Option configures a Client.
type Option func(*config)

// WithClientID sets the application's client ID (needed by every endpoint
// except UserInfo).
func WithClientID(id string) Option { return func(c *config) { c.clientID = id } }

// WithClientSecret authenticates the application with its client secret
// (client_secret_post). A client assertion key, when also set, wins.
func WithClientSecret(secret string) Option { return func(c *config) { c.secret = secret } }

// WithClientAssertionKey authenticates the application with private_key_jwt:
// every request that needs client authentication carries a fresh assertion
// signed with key. alg is RS256 (the default when empty), RS384, RS512,
// PS256, PS384, PS512, ES256, ES384, ES512 or EdDSA, and must fit the key.
func WithClientAssertionKey(key crypto.Signer, alg string) Option {
	return func(c *config) {
		if key == nil {
			c.fail("WithClientAssertionKey: nil key")
		}
		c.key, c.keyPEM, c.alg = key, nil, alg
	}
}

// WithClientAssertionPEM is WithClientAssertionKey with a PEM private key
// (PKCS #8, PKCS #1 or SEC 1), as the Auth0 SDKs take it.
func WithClientAssertionPEM(pemKey []byte, alg string) Option {
	return func(c *config) { c.key, c.keyPEM, c.alg = nil, pemKey, alg }
}

// WithIDTokenVerifier verifies every ID token returned by a token endpoint
// with v (which should be an ID-token verifier: Kind verifier.IDToken,
// audience the client ID). A token that fails makes the call fail: the
// tokens of that answer are not returned.
func WithIDTokenVerifier(v *verifier.Verifier) Option {
	return func(c *config) {
		if v == nil {
			c.fail("WithIDTokenVerifier: nil verifier")
		}
		c.verifier = v
	}
}

// WithClientOptions sets the HTTP behaviour (timeout, retries, HTTP
// client, debug and observer hooks, ...).
func WithClientOptions(cfg client.Config) Option {
	return func(c *config) { c.http = cfg }
}

// WithClock replaces time.Now for client assertions and ExpiresAt (tests).
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now == nil {
			c.fail("WithClock: nil func")
		}
		c.now = now
	}
}

func (c *config) fail(format string, a ...any) {
	if c.err == nil {
		c.err = fmt.Errorf("authentication: "+format, a...)
	}
}

// New returns a Client for the tenant domain ("tenant.auth0.com"; a value
// with a scheme, such as "http://127.0.0.1:8080", is used as the base URL as
// it is: see client.BaseURL).
func New(domain string, opts ...Option) (*Client, error) {
	base, err := client.BaseURL(domain)
	if err != nil {
		return nil, err
	}
	cfg := config{now: time.Now}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.err != nil {
		return nil, cfg.err
	}
	if cfg.keyPEM != nil {
		if cfg.key, err = parsePrivateKeyPEM(cfg.keyPEM); err != nil {
			return nil, err
		}
	}
	if (cfg.secret != "" || cfg.key != nil) && cfg.clientID == "" {
		return nil, errors.New("authentication: client credentials need a client ID (WithClientID)")
	}
	rc, err := rest.New(base, "authentication", cfg.http)
	if err != nil {
		return nil, err
	}
	c := &Client{
		rest:     rc,
		baseURL:  rc.BaseURL(),
		clientID: cfg.clientID,
		verifier: cfg.verifier,
		now:      cfg.now,
	}
	if cfg.key != nil {
		alg, err := checkAssertionKey(cfg.key, cfg.alg)
		if err != nil {
			return nil, err
		}
		c.signer = &signer{key: cfg.key, alg: alg, clientID: cfg.clientID, audience: c.baseURL + "/", now: cfg.now}
	} else {
		c.secret = cfg.secret
	}
	return c, nil
}

// String describes the Client without its credentials, so printing it
// never leaks a secret.
func (c *Client) String() string {
	auth := "none"
	switch {
	case c.signer != nil:
		auth = "private_key_jwt " + c.signer.alg.String()
	case c.secret != "":
		auth = "client_secret"
	}
	return fmt.Sprintf("authentication.Client{%s client_id=%q auth=%s}", c.baseURL, c.clientID, auth)
}

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }

// ClientID returns the configured client ID.
func (c *Client) ClientID() string { return c.clientID }

// call is one endpoint call before client authentication is added.
type call struct {
	method string
	path   string
	form   url.Values     // form body, or
	json   map[string]any // JSON body
	header http.Header
	auth   bool // add client authentication (secret or assertion)
}

// do sends the call; with private_key_jwt the request is rebuilt for each
// retry so that every attempt carries a fresh assertion.
func (c *Client) do(ctx context.Context, k call, out any) (*rest.Response, error) {
	build := func() (*rest.Request, error) {
		r := &rest.Request{Method: k.method, Path: k.path, Header: k.header}
		if k.form != nil {
			r.Form = maps.Clone(k.form)
		}
		if k.json != nil {
			r.JSON = maps.Clone(k.json)
		}
		if !k.auth {
			return r, nil
		}
		set := func(name, value string) {
			if r.Form != nil {
				r.Form.Set(name, value)
			} else if r.JSON != nil {
				r.JSON.(map[string]any)[name] = value
			}
		}
		switch {
		case c.signer != nil:
			a, err := c.signer.assertion()
			if err != nil {
				return nil, err
			}
			set("client_assertion", a)
			set("client_assertion_type", AssertionType)
		case c.secret != "":
			set("client_secret", c.secret)
		}
		return r, nil
	}
	r, err := build()
	if err != nil {
		return nil, err
	}
	if k.auth && c.signer != nil {
		r.Rebuild = build
	}
	return c.rest.Do(ctx, r, out)
}

// needClientID is the guard of the endpoints that send client_id.
func (c *Client) needClientID() error {
	if c.clientID == "" {
		return ErrNoClientID
	}
	return nil
}

// addExtra copies extra parameters into form, refusing any that would
// replace a parameter this package sets.
func addExtra(form, extra url.Values) error {
	for k, vs := range extra {
		if _, taken := form[k]; taken || k == "client_secret" || k == "client_assertion" || k == "client_assertion_type" {
			return fmt.Errorf("authentication: extra parameter %q would replace one this package sets", k)
		}
		form[k] = append([]string(nil), vs...)
	}
	return nil
}

// setIf sets form[k] when v is not empty (optional parameters are omitted,
// never sent empty or null).
func setIf(form url.Values, k, v string) {
	if v != "" {
		form.Set(k, v)
	}
}
