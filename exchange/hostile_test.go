package exchange_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/authentication"
	"github.com/tokengate/tokengate/exchange"
)

// fakeAS is a token endpoint that answers status and body to every
// request, counting them.
func fakeAS(t *testing.T, status int, body string) (*authentication.Client, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c, err := authentication.New(srv.URL, authentication.Config{ClientID: "api", ClientSecret: "s",
		HTTP: client.Config{MaxRetries: client.NoRetries}})
	if err != nil {
		t.Fatal(err)
	}
	return c, &n
}

// TestHostileAnswers (OB8): the token endpoint's answers are outside
// values: lifetimes huge, negative or absent, wrong token types, missing
// tokens, error codes. None is cached beyond MaxTTL, none without a
// lifetime, and refusals are typed.
func TestHostileAnswers(t *testing.T) {
	f := newFixture(t, nil)
	alice := f.login(t, "alice@example.com", "pw-alice")
	tests := []struct {
		name      string
		status    int
		body      string
		want      error // nil: a token
		exchanges int64 // for two calls, then two more after MaxTTL
	}{
		{"OB8/expires_in_huge", 200, `{"access_token":"x","token_type":"Bearer","expires_in":1e300}`, nil, 2},
		{"OB8/expires_in_max_int", 200, `{"access_token":"x","token_type":"Bearer","expires_in":9223372036854775807}`, nil, 2},
		{"OB8/expires_in_negative", 200, `{"access_token":"x","token_type":"Bearer","expires_in":-3600}`, nil, 4},
		{"OB8/expires_in_absent", 200, `{"access_token":"x","token_type":"Bearer"}`, nil, 4},
		{"OB8/expires_in_below_margin", 200, `{"access_token":"x","token_type":"Bearer","expires_in":30}`, nil, 4},
		{"OB8/expires_in_string", 200, `{"access_token":"x","token_type":"Bearer","expires_in":"3600"}`, exchange.ErrRefused, 4},
		{"OB8/token_type_dpop", 200, `{"access_token":"x","token_type":"DPoP","expires_in":3600}`, exchange.ErrRefused, 4},
		{"OB8/token_type_na", 200, `{"access_token":"x","token_type":"N_A","expires_in":3600}`, exchange.ErrRefused, 4},
		{"OB8/token_type_absent", 200, `{"access_token":"x","expires_in":3600}`, exchange.ErrRefused, 4},
		{"OB8/no_access_token", 200, `{"token_type":"Bearer","expires_in":3600}`, exchange.ErrRefused, 4},
		{"OB8/not_json", 200, `<html>`, exchange.ErrRefused, 4},
		{"OB8/consent_required", 400, `{"error":"consent_required","error_description":"Consent required"}`, exchange.ErrConsentRequired, 4},
		{"OB8/interaction_required", 400, `{"error":"interaction_required"}`, exchange.ErrConsentRequired, 4},
		{"OB8/connection_missing", 401, `{"error":"federated_connection_refresh_token_not_found"}`, exchange.ErrConnectionMissing, 4},
		{"OB8/invalid_grant", 400, `{"error":"invalid_grant","error_description":"Invalid subject token"}`, exchange.ErrRefused, 4},
		{"OB8/access_denied", 403, `{"error":"access_denied"}`, exchange.ErrRefused, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, n := fakeAS(t, tt.status, tt.body)
			clk := newClock()
			e, err := exchange.New(exchange.Config{Client: c, SubjectTokenType: customType, Now: clk.Now, MaxTTL: 10 * time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			as(t, f.api, alice, func(ctx context.Context) {
				for i := range 4 {
					if i == 2 {
						clk.Add(10 * time.Minute)
					}
					tok, err := e.Token(ctx, exchange.Request{Audience: downAud})
					if tt.want == nil {
						if err != nil {
							t.Fatalf("call %d: %v", i, err)
						}
						if tok.ExpiresAt.After(clk.Now().Add(31 * 24 * time.Hour)) {
							t.Fatalf("ExpiresAt %v beyond 30 days", tok.ExpiresAt)
						}
						continue
					}
					var xe *exchange.Error
					if !errors.Is(err, tt.want) || !errors.As(err, &xe) || tok != nil {
						t.Fatalf("call %d: got (%v, %v), want %v", i, tok, err, tt.want)
					}
				}
			})
			if got := n.Load(); got != tt.exchanges {
				t.Errorf("exchanges: got %d, want %d", got, tt.exchanges)
			}
		})
	}
}

// TestTransientNotRefused (OB8): 429 and 5xx are not refusals (no
// *exchange.Error): the caller may retry.
func TestTransientNotRefused(t *testing.T) {
	f := newFixture(t, nil)
	alice := f.login(t, "alice@example.com", "pw-alice")
	for _, st := range []int{429, 500, 503} {
		t.Run(http.StatusText(st), func(t *testing.T) {
			c, _ := fakeAS(t, st, `{"error":"temporarily_unavailable"}`)
			e, err := exchange.New(exchange.Config{Client: c, SubjectTokenType: customType})
			if err != nil {
				t.Fatal(err)
			}
			as(t, f.api, alice, func(ctx context.Context) {
				_, err := e.Token(ctx, exchange.Request{Audience: downAud})
				var xe *exchange.Error
				if err == nil || errors.As(err, &xe) {
					t.Fatalf("got %v, want a transient error that is not an *exchange.Error", err)
				}
			})
		})
	}
}

// TestCallerGivesUp (OB14): a caller whose context ends stops waiting; the
// exchange it started goes on for the others, and is sent once.
func TestCallerGivesUp(t *testing.T) {
	f := newFixture(t, nil)
	alice := f.login(t, "alice@example.com", "pw-alice")
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		entered <- struct{}{}
		<-release
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"access_token":"x","token_type":"Bearer","expires_in":3600}`))
	}))
	defer srv.Close()
	c, err := authentication.New(srv.URL, authentication.Config{ClientID: "api", ClientSecret: "s", HTTP: client.Config{MaxRetries: client.NoRetries}})
	if err != nil {
		t.Fatal(err)
	}
	e, err := exchange.New(exchange.Config{Client: c, SubjectTokenType: customType, Now: f.clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	as(t, f.api, alice, func(ctx context.Context) {
		quitter, cancel := context.WithCancel(ctx)
		first := make(chan error, 1)
		go func() { _, err := e.Token(quitter, exchange.Request{Audience: downAud}); first <- err }()
		<-entered
		second := make(chan error, 1)
		go func() { _, err := e.Token(ctx, exchange.Request{Audience: downAud}); second <- err }()
		cancel()
		if err := <-first; !errors.Is(err, context.Canceled) {
			t.Errorf("the caller that gave up: got %v, want context.Canceled", err)
		}
		close(release)
		if err := <-second; err != nil {
			t.Errorf("the caller that waited: got %v, want the token", err)
		}
	})
	if got := n.Load(); got != 1 {
		t.Errorf("exchanges: got %d, want 1", got)
	}
}
