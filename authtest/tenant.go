package authtest

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/verifier"
)

// Tenant is a running local tenant. It is safe for concurrent use. Close it
// when done (t.Cleanup(tenant.Close) in tests).
//
// A Tenant listens on a loopback port (HTTP, or HTTPS with Config.TLS) and
// serves:
//
//   - /.well-known/openid-configuration: the discovery document; the issuer
//     is Tenant.Issuer(), the URL with a trailing slash, as Auth0's;
//   - /.well-known/jwks.json: the public keys, an RSA 2048 key (RS256, the
//     signing key) and an EC P-256 key (ES256), with Cache-Control;
//     Rotate, RotateTo and RemoveKey change them;
//   - POST /oauth/token: client_credentials and the password grants
//     (password and Auth0's password-realm) for the clients, users, roles
//     and organizations of the Config, with JSON or form bodies, client
//     authentication by client_secret (body or HTTP Basic) or private_key_jwt,
//     and Auth0's error answers; a client_credentials request with a DPoP
//     proof (RFC 9449 section 5, checked by package dpop: ES256, ES384,
//     ES512, EdDSA, RS256 or PS256, htu URL+"/oauth/token") gets a
//     DPoP-bound token (cnf.jkt, token_type "DPoP"), and one with a bad
//     proof 400 invalid_dpop_proof;
//   - POST /oauth/token also plays Auth0's Custom Token Exchange
//     (GrantTokenExchange: a subject token of the tenant's own, under one
//     of Config.CustomTokenTypes, for another audience, with act for an
//     actor_token) and Token Vault (GrantFederatedConnectionToken: a
//     connection of User.VaultConnections) for clients that list them
//     (exchange.go);
//   - BackChannelLogout posts OpenID Connect back-channel logout tokens to
//     the clients' BackChannelLogoutURI (backchannel.go);
//   - /userinfo: the profile of the bearer of a user access token;
//   - a few Management API reads (users, user roles, the user's
//     organizations, organizations, organization members and member roles)
//     behind Management API tokens.
//
// Tokens look like Auth0's: RS256 with typ JWT and kid; iss with the
// trailing slash; sub "auth0|<id>" for users and "<client_id>@clients" for
// clients; aud a string for client credentials and [api, issuer+"userinfo"]
// for users who asked for openid; azp, scope, permissions (RBAC), gty, and
// org_id with org_name when an organization was asked for. Mint signs any
// token at all (claims, algorithm, kid, header, expiry) for negative tests,
// and AccessToken a valid one in one call.
//
// SetJWKSFault and SetJWKSDelay make the JWKS endpoint fail (connection
// dropped, 500, 429, garbage, a 5 MiB body, no keys) or slow; JWKSRequests
// and TokenRequests count the requests, to assert caching behaviour.
//
// The token endpoint's errors have Auth0's shape, {"error": ...,
// "error_description": ...}:
//
//	400 invalid_request          missing or malformed parameter, repeated parameter,
//	                             two client authentication methods, unknown realm or organization
//	400 unsupported_grant_type   "Unsupported grant type: <grant_type>"
//	401 access_denied            "Unauthorized": unknown client, bad or missing credentials
//	403 unauthorized_client      "Grant type '<grant_type>' not allowed for the client."
//	403 access_denied            "Service not found: <audience>", no client grant for the API,
//	                             "Client has not been granted scopes: ...", no audience at all,
//	                             organization not open to the user or client
//	403 invalid_grant            "Wrong email or password."
//	413 invalid_request          body over 64 KiB
//
// Auth0's documentation is not consistent about the status of
// unsupported_grant_type; the tenant answers 400 as RFC 6749 section 5.2 says.
//
// With RBAC, a user's API scopes are the requested scopes that the user's
// roles (tenant-level, plus the roles held in the requested organization)
// grant as permissions; openid, profile, email, address, phone and
// offline_access always pass. A password login without scope gets
// "openid profile email address phone", as recorded from Auth0. No refresh
// tokens are issued.
//
// A Tenant is also a verifier.KeySource (its current keys, no HTTP), and
// KeySet returns a static snapshot of them.
type Tenant struct {
	// URL is the base URL, "http://127.0.0.1:port" (https with Config.TLS),
	// without a trailing slash. Clients that take an Auth0 domain accept it
	// as is.
	URL string

	issuer       string
	srv          *httptest.Server
	dir          *directory
	now          func() time.Time
	tokenTTL     time.Duration
	idTokenTTL   time.Duration
	cacheControl string

	keyMu sync.Mutex // serialises key writers; readers load ring
	ring  atomic.Pointer[keyring]

	fault      atomic.Int32 // a Fault
	delay      atomic.Int64 // a time.Duration
	jwksCount  atomic.Int64
	tokenCount atomic.Int64

	userinfoVerifier *verifier.Verifier
	mgmtVerifier     *verifier.Verifier
	dpop             *dpop.Verifier // proofs sent to the token endpoint (dpoptoken.go)
	assertions       *jtiCache
	removed          sync.Map // memberKey → struct{}: RemoveMember
	pending          sync.Map // memberKey → struct{}: invitations not accepted yet

	closing   chan struct{}
	closeOnce sync.Once

	encrypted map[string]EncryptedAPI // Config.EncryptedAPIs by audience (encrypt.go)
}

// Defaults.
const (
	defaultAddr         = "127.0.0.1:0"
	defaultTokenTTL     = 24 * time.Hour
	defaultIDTokenTTL   = 10 * time.Hour
	defaultCacheControl = "public, max-age=600"
	clientTimeout       = 10 * time.Second
)

// NewTenant checks cfg, generates the keys cfg does not give, and starts
// serving on a loopback address.
func NewTenant(cfg Config) (*Tenant, error) {
	if cfg.TokenTTL < 0 || cfg.IDTokenTTL < 0 {
		return nil, configErrorf("negative token lifetime")
	}
	addr := cfg.Addr
	if addr == "" {
		addr = defaultAddr
	}
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	ring, err := initialKeys(cfg.RSAKey, cfg.ECKey)
	if err != nil {
		return nil, err
	}
	encrypted, err := checkEncryptedAPIs(cfg.EncryptedAPIs)
	if err != nil {
		return nil, err
	}
	t := &Tenant{
		encrypted:    encrypted,
		now:          cfg.Now,
		tokenTTL:     cfg.TokenTTL,
		idTokenTTL:   cfg.IDTokenTTL,
		cacheControl: cfg.JWKSCacheControl,
		assertions:   newJTICache(),
		closing:      make(chan struct{}),
	}
	if t.now == nil {
		t.now = time.Now
	}
	if t.tokenTTL == 0 {
		t.tokenTTL = defaultTokenTTL
	}
	if t.idTokenTTL == 0 {
		t.idTokenTTL = defaultIDTokenTTL
	}
	if t.cacheControl == "" {
		t.cacheControl = defaultCacheControl
	}
	t.ring.Store(ring)

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	// Everything that depends on the address is built before the server
	// starts, so handlers only ever read finished state.
	scheme := "http://"
	if cfg.TLS {
		scheme = "https://"
	}
	t.URL = scheme + ln.Addr().String()
	t.issuer = t.URL + "/"
	if t.dir, err = newDirectory(&cfg, t.ManagementAudience()); err != nil {
		ln.Close()
		return nil, err
	}
	for _, inv := range t.dir.invitations {
		t.pending.Store(memberKey{inv.orgID, inv.user.subject}, struct{}{})
	}
	if t.userinfoVerifier, err = t.newVerifier(t.issuer + "userinfo"); err != nil {
		ln.Close()
		return nil, err
	}
	if t.mgmtVerifier, err = t.newVerifier(t.ManagementAudience()); err != nil {
		ln.Close()
		return nil, err
	}
	if t.dpop, err = newTokenEndpointDPoP(t.URL, t.now); err != nil {
		ln.Close()
		return nil, err
	}

	t.srv = httptest.NewUnstartedServer(t.routes())
	t.srv.Listener.Close()
	t.srv.Listener = ln
	t.srv.Config.ReadHeaderTimeout = 10 * time.Second
	if cfg.TLS {
		t.srv.StartTLS()
	} else {
		t.srv.Start()
	}
	return t, nil
}

func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return configErrorf("Addr %q: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return configErrorf("Addr %q is not a loopback address", addr)
	}
	return nil
}

func initialKeys(rsaKey *rsa.PrivateKey, ecKey *ecdsa.PrivateKey) (*keyring, error) {
	var err error
	if rsaKey == nil {
		if rsaKey, err = generateRSA(); err != nil {
			return nil, err
		}
	}
	if ecKey == nil {
		if ecKey, err = generateEC(); err != nil {
			return nil, err
		}
	}
	r, err := newSigningKey(rsaKey)
	if err != nil {
		return nil, configErrorf("RSAKey: %v", err)
	}
	e, err := newSigningKey(ecKey)
	if err != nil {
		return nil, configErrorf("ECKey: %v", err)
	}
	return newKeyring(nil, []*signingKey{r, e}, r, e)
}

// newVerifier checks the tenant's own tokens for one audience, with the
// tenant itself as the key source.
func (t *Tenant) newVerifier(aud string) (*verifier.Verifier, error) {
	return verifier.New(verifier.Config{
		Issuer:     t.issuer,
		Audience:   []string{aud},
		Algorithms: []string{"RS256", "ES256"},
		Keys:       t,
		Now:        t.now,
	})
}

func (t *Tenant) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", t.serveDiscovery)
	mux.HandleFunc("GET /.well-known/jwks.json", t.serveJWKS)
	mux.HandleFunc("POST /oauth/token", t.serveToken)
	mux.HandleFunc("GET /userinfo", t.serveUserinfo)
	mux.HandleFunc("POST /userinfo", t.serveUserinfo)
	t.managementRoutes(mux)
	return mux
}

// Issuer returns the issuer, URL + "/": Auth0 issuers end with a slash.
func (t *Tenant) Issuer() string { return t.issuer }

// JWKSURL returns the URL of the JWKS endpoint.
func (t *Tenant) JWKSURL() string { return t.URL + "/.well-known/jwks.json" }

// ManagementAudience returns the identifier of the tenant's Management API,
// Issuer() + "api/v2/".
//
// Management tokens come from client_credentials for this audience
// (Client.ManagementScopes). Each endpoint needs one scope:
//
//	GET /api/v2/users/{id}                                    read:users
//	GET /api/v2/users/{id}/roles                              read:roles
//	GET /api/v2/users/{id}/organizations                      read:organizations
//	GET /api/v2/organizations/{id}                            read:organizations
//	GET /api/v2/organizations/{id}/members                    read:organization_members
//	GET /api/v2/organizations/{id}/members/{user_id}/roles    read:organization_member_roles
//
// Lists take page, per_page (at most 100) and include_totals; members also
// take checkpoint pagination (from, take) and then answer
// {"members": [...], "next": "..."}. Errors have the Management API's shape,
// {"statusCode", "error", "message", "errorCode"}, for example 403
// "Insufficient scope, expected any of: read:users" with errorCode
// insufficient_scope.
//
// The directory is fixed when the tenant starts, except that RemoveMember
// takes a user out of an organization at run time: the member lists, the
// user's organizations and the token endpoint stop seeing the membership,
// while the tokens already issued stay valid, as on Auth0.
func (t *Tenant) ManagementAudience() string { return t.issuer + "api/v2/" }

// Client returns an HTTP client for the tenant, with a timeout, that trusts
// the tenant's certificate when it serves TLS.
func (t *Tenant) Client() *http.Client {
	return &http.Client{Transport: t.srv.Client().Transport, Timeout: clientTimeout}
}

// JWKSRequests returns how many requests reached the JWKS endpoint, faulty
// answers included.
func (t *Tenant) JWKSRequests() int64 { return t.jwksCount.Load() }

// TokenRequests returns how many requests reached the token endpoint,
// refused ones included.
func (t *Tenant) TokenRequests() int64 { return t.tokenCount.Load() }

// Close stops the tenant. Requests held by SetJWKSDelay end at once. It is
// safe to call more than once.
func (t *Tenant) Close() {
	t.closeOnce.Do(func() {
		close(t.closing)
		t.srv.Close()
	})
}
