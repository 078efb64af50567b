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

	"github.com/tokengate/tokengate/verifier"
)

// Tenant is a running local tenant. It is safe for concurrent use. Close it
// when done (t.Cleanup(tenant.Close) in tests).
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
	assertions       *jtiCache
	removed          sync.Map // memberKey → struct{}: RemoveMember

	closing   chan struct{}
	closeOnce sync.Once
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
	t := &Tenant{
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
	if t.userinfoVerifier, err = t.newVerifier(t.issuer + "userinfo"); err != nil {
		ln.Close()
		return nil, err
	}
	if t.mgmtVerifier, err = t.newVerifier(t.ManagementAudience()); err != nil {
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
