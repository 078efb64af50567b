package exchange_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/exchange"
	"github.com/tokengate/tokengate/middleware"
)

// TestExchangeOncePerCaller (OB2): N calls of one caller, sequential and
// concurrent, cost one exchange; the token is for the downstream API, of
// the caller.
func TestExchangeOncePerCaller(t *testing.T) {
	f := newFixture(t, nil)
	e := f.exchanger(t, exchange.Config{TokenVerifier: f.down})
	alice := f.login(t, "alice@example.com", "pw-alice")
	before := f.tenant.TokenRequests()
	req := exchange.Request{Audience: downAud, Scope: "read:data"}
	var first *exchange.Token
	as(t, f.api, alice, func(ctx context.Context) {
		var wg sync.WaitGroup
		toks := make([]*exchange.Token, 16)
		errs := make([]error, 16)
		for i := range toks {
			wg.Go(func() { toks[i], errs[i] = e.Token(ctx, req) })
		}
		wg.Wait()
		for i := range toks {
			if errs[i] != nil {
				t.Fatalf("call %d: %v", i, errs[i])
			}
			if toks[i] != toks[0] {
				t.Fatalf("call %d got another token than call 0", i)
			}
		}
		first = toks[0]
		for range 10 {
			if tok, err := e.Token(ctx, req); err != nil || tok != first {
				t.Fatalf("sequential call: got (%v, %v), want the cached token", tok, err)
			}
		}
	})
	if n := f.tenant.TokenRequests() - before; n != 1 {
		t.Errorf("exchanges: got %d, want 1 for 26 calls", n)
	}
	if first.Claims == nil || first.Claims.Subject != "auth0|alice" || first.Claims.Audience[0] != downAud ||
		first.Scope != "read:data" || first.Claims.AuthorizedParty != "api" {
		t.Errorf("token: got %v %+v, want alice's for %s with read:data, azp api", first, first.Claims, downAud)
	}
	if !strings.Contains(first.String(), "REDACTED") || strings.Contains(first.String(), first.AccessToken) {
		t.Errorf("String shows the token: %s", first)
	}
}

// TestExchangeIsolation (OB3): two users asking for the same target get
// their own tokens; a second target or scope of one user is another entry.
func TestExchangeIsolation(t *testing.T) {
	f := newFixture(t, nil)
	e := f.exchanger(t, exchange.Config{TokenVerifier: f.down})
	req := exchange.Request{Audience: downAud, Scope: "read:data"}
	subs := map[string]string{}
	for _, u := range []struct{ email, pw, sub string }{{"alice@example.com", "pw-alice", "auth0|alice"}, {"bob@example.com", "pw-bob", "auth0|bob"}} {
		tok := f.login(t, u.email, u.pw)
		as(t, f.api, tok, func(ctx context.Context) {
			got, err := e.Token(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if got.Claims.Subject != u.sub {
				t.Fatalf("%s got a token of %s", u.sub, got.Claims.Subject)
			}
			subs[u.sub] = got.AccessToken
		})
	}
	if subs["auth0|alice"] == subs["auth0|bob"] {
		t.Fatal("alice and bob got the same token")
	}
	alice := f.login(t, "alice@example.com", "pw-alice")
	before := f.tenant.TokenRequests()
	as(t, f.api, alice, func(ctx context.Context) {
		if _, err := e.Token(ctx, exchange.Request{Audience: downAud}); err != nil { // no scope: another key
			t.Fatal(err)
		}
	})
	if n := f.tenant.TokenRequests() - before; n != 1 {
		t.Errorf("another scope: got %d exchanges, want 1", n)
	}
}

// TestExchangeExpiry (OB4): a cached token is returned until its expiry
// minus the margin, then exchanged again.
func TestExchangeExpiry(t *testing.T) {
	f := newFixture(t, nil)
	e := f.exchanger(t, exchange.Config{Margin: time.Minute})
	req := exchange.Request{Audience: downAud}
	count := func(ctx context.Context) int64 {
		before := f.tenant.TokenRequests()
		if _, err := e.Token(ctx, req); err != nil {
			t.Fatal(err)
		}
		return f.tenant.TokenRequests() - before
	}
	f.clk.Add(time.Second)
	alice := f.login(t, "alice@example.com", "pw-alice") // valid 10 minutes, like the exchanged token
	as(t, f.api, alice, func(ctx context.Context) {
		if n := count(ctx); n != 1 {
			t.Fatalf("first: %d exchanges, want 1", n)
		}
		f.clk.Add(9*time.Minute - time.Second) // 1 s before expiry minus margin
		if n := count(ctx); n != 0 {
			t.Fatalf("before the margin: %d exchanges, want 0", n)
		}
	})
	f.clk.Add(time.Second) // at expiry minus margin
	alice = f.login(t, "alice@example.com", "pw-alice")
	as(t, f.api, alice, func(ctx context.Context) {
		if n := count(ctx); n != 1 {
			t.Fatalf("at the margin: %d exchanges, want 1", n)
		}
	})
}

// TestExchangeActor (OB5): with an actor token the issued token names the
// actor in act, typed; the actor is part of the cache key.
func TestExchangeActor(t *testing.T) {
	f := newFixture(t, nil)
	e := f.exchanger(t, exchange.Config{TokenVerifier: f.down})
	alice := f.login(t, "alice@example.com", "pw-alice")
	agent := f.agentToken(t)
	as(t, f.api, alice, func(ctx context.Context) {
		plain, err := e.Token(ctx, exchange.Request{Audience: downAud})
		if err != nil {
			t.Fatal(err)
		}
		acted, err := e.Token(ctx, exchange.Request{Audience: downAud, ActorToken: agent})
		if err != nil {
			t.Fatal(err)
		}
		if plain.Actor != nil {
			t.Errorf("without actor token: got act %+v, want none", plain.Actor)
		}
		if acted == plain || acted.Actor == nil || acted.Actor.Subject != "agent@clients" || acted.Claims.Subject != "auth0|alice" {
			t.Fatalf("with actor token: got act %+v sub %q, want agent@clients acting for auth0|alice", acted.Actor, acted.Claims.Subject)
		}
	})
}

// TestExchangeConnection (OB6): Token Vault: a connection the user has
// gives a token; one the user has not is ErrConnectionMissing.
func TestExchangeConnection(t *testing.T) {
	f := newFixture(t, nil)
	e := f.exchanger(t, exchange.Config{})
	bob := f.login(t, "bob@example.com", "pw-bob")
	alice := f.login(t, "alice@example.com", "pw-alice")
	as(t, f.api, alice, func(ctx context.Context) {
		tok, err := e.Token(ctx, exchange.Request{Connection: "google-oauth2"})
		if err != nil || !strings.HasPrefix(tok.AccessToken, "vault.") || tok.IssuedTokenType != exchange.TokenTypeFederatedConnection {
			t.Fatalf("got (%v, %v), want a vault token", tok, err)
		}
	})
	as(t, f.api, bob, func(ctx context.Context) {
		_, err := e.Token(ctx, exchange.Request{Connection: "google-oauth2"})
		var xe *exchange.Error
		if !errors.Is(err, exchange.ErrConnectionMissing) || !errors.As(err, &xe) || xe.Code != authtest.ErrorConnectionMissing {
			t.Fatalf("bob: got %v, want ErrConnectionMissing", err)
		}
	})
}

// TestExchangeRefusesBoundToken (OB7): a DPoP-bound incoming token is
// refused before any request: the API does not hold its key.
func TestExchangeRefusesBoundToken(t *testing.T) {
	f := newFixture(t, time.Now)
	e := f.exchanger(t, exchange.Config{Now: time.Now})
	proofs, err := dpop.New(dpop.Config{URL: "https://api.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	key, err := authtest.NewDPoPKey("ES256")
	if err != nil {
		t.Fatal(err)
	}
	tok := f.tenant.BoundAccessToken(key, "auth0|alice", apiAud)
	proof, err := key.Proof(authtest.Proof{Method: "GET", URL: "https://api.example.com/items", AccessToken: tok})
	if err != nil {
		t.Fatal(err)
	}
	before := f.tenant.TokenRequests()
	var got error
	reached := false
	h := middleware.Authenticate(f.api, middleware.WithDPoP(proofs, middleware.DPoPRequired))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached = true
		if raw, ok := middleware.TokenFromContext(r.Context()); !ok || raw != tok {
			t.Error("TokenFromContext: the DPoP path did not keep the token")
		}
		_, got = e.Token(r.Context(), exchange.Request{Audience: downAud})
	}))
	r := httptest.NewRequest(http.MethodGet, "https://api.example.com/items", nil)
	r.Header.Set("Authorization", "DPoP "+tok)
	r.Header.Set("DPoP", proof)
	h.ServeHTTP(httptest.NewRecorder(), r)
	if !reached || !errors.Is(got, exchange.ErrSenderConstrained) {
		t.Fatalf("reached %v, got %v, want ErrSenderConstrained", reached, got)
	}
	if n := f.tenant.TokenRequests() - before; n != 0 {
		t.Errorf("exchanges: got %d, want 0", n)
	}
}

// TestExchangeNoToken (OB10): no verified token on the context.
func TestExchangeNoToken(t *testing.T) {
	f := newFixture(t, nil)
	e := f.exchanger(t, exchange.Config{})
	if _, err := e.Token(t.Context(), exchange.Request{Audience: downAud}); !errors.Is(err, exchange.ErrNoToken) {
		t.Fatalf("plain context: got %v, want ErrNoToken", err)
	}
	alice := f.login(t, "alice@example.com", "pw-alice")
	c, err := f.api.Verify(t.Context(), alice)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Token(middleware.NewContext(t.Context(), c), exchange.Request{Audience: downAud}); !errors.Is(err, exchange.ErrNoToken) {
		t.Fatalf("NewContext (claims, no token): got %v, want ErrNoToken", err)
	}
}

// TestRequestRefused: malformed requests fail before any exchange.
func TestRequestRefused(t *testing.T) {
	f := newFixture(t, nil)
	e := f.exchanger(t, exchange.Config{})
	alice := f.login(t, "alice@example.com", "pw-alice")
	tests := []struct {
		name string
		r    exchange.Request
	}{
		{"OB10/neither", exchange.Request{}},
		{"OB10/both", exchange.Request{Audience: downAud, Connection: "google-oauth2"}},
		{"OB10/connection_with_scope", exchange.Request{Connection: "google-oauth2", Scope: "x"}},
		{"OB10/connection_with_actor", exchange.Request{Connection: "google-oauth2", ActorToken: "x"}},
		{"OB10/actor_type_alone", exchange.Request{Audience: downAud, ActorTokenType: exchange.TokenTypeAccessToken}},
	}
	before := f.tenant.TokenRequests()
	as(t, f.api, alice, func(ctx context.Context) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if _, err := e.Token(ctx, tt.r); err == nil {
					t.Fatal("got a token, want an error")
				}
			})
		}
	})
	if n := f.tenant.TokenRequests() - before; n != 0 {
		t.Errorf("exchanges: got %d, want 0", n)
	}
}

// TestTokenSource (OB11): the oauth2.TokenSource plugs into oauth2.NewClient;
// the downstream server sees the exchanged token.
func TestTokenSource(t *testing.T) {
	f := newFixture(t, nil)
	e := f.exchanger(t, exchange.Config{})
	var seen string
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = r.Header.Get("Authorization") }))
	defer down.Close()
	alice := f.login(t, "alice@example.com", "pw-alice")
	as(t, f.api, alice, func(ctx context.Context) {
		ts := e.TokenSource(ctx, exchange.Request{Audience: downAud})
		resp, err := oauth2.NewClient(ctx, ts).Get(down.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want, err := e.Token(ctx, exchange.Request{Audience: downAud})
		if err != nil {
			t.Fatal(err)
		}
		if seen != "Bearer "+want.AccessToken {
			t.Errorf("downstream Authorization: got %d bytes, want Bearer + the exchanged token", len(seen))
		}
		o, err := ts.Token()
		if err != nil || !o.Expiry.Equal(want.ExpiresAt) {
			t.Errorf("Expiry: got %v (%v), want %v", o.Expiry, err, want.ExpiresAt)
		}
	})
}

// TestNewRefusesConfig (OB12).
func TestNewRefusesConfig(t *testing.T) {
	f := newFixture(t, nil)
	tests := []struct {
		name string
		cfg  exchange.Config
	}{
		{"OB12/no_client", exchange.Config{SubjectTokenType: customType}},
		{"OB12/ietf_subject_type", exchange.Config{Client: f.auth, SubjectTokenType: exchange.TokenTypeAccessToken}},
		{"OB12/ietf_subject_type_upper", exchange.Config{Client: f.auth, SubjectTokenType: "URN:IETF:params:oauth:token-type:jwt"}},
		{"OB12/cache_size", exchange.Config{Client: f.auth, CacheSize: -2}},
		{"OB12/negative_margin", exchange.Config{Client: f.auth, Margin: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := exchange.New(tt.cfg); !errors.Is(err, exchange.ErrConfig) {
				t.Fatalf("got %v, want ErrConfig", err)
			}
		})
	}
}
