package redisstore

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/management"
	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/verifier"
)

// The cost the shared stores add: to a Management API call (the budget's
// reservation; the token comes from the replica's memory between refresh
// points), to a DPoP proof check (the replay record), and to a verification
// answered by the verified-token cache (the revocation lookup). Each is one
// round trip to a Redis on loopback; compare with the in-process rows.
//
//	go test -run '^$' -bench . -benchtime 2000x ./redisstore

// benchAPI is a Management API that answers at once, with no limit.
func benchAPI(b *testing.B) string {
	b.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/token" {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":"tok-`+strconv.FormatInt(n.Add(1), 10)+`","token_type":"Bearer","expires_in":86400}`)
			return
		}
		io.WriteString(w, `{"user_id":"auth0|1"}`)
	}))
	b.Cleanup(srv.Close)
	return srv.URL
}

// noWait is a budget that never makes a request wait: what is measured is
// the bookkeeping, not the spacing.
var noWait = client.BudgetConfig{Rate: 1e6, Burst: 1 << 20}

func BenchmarkManagementCall(b *testing.B) {
	url := benchAPI(b)
	s := newStore(b, sharedAddr(b), Config{})
	shared, err := s.Budget(BudgetConfig{BudgetConfig: noWait})
	if err != nil {
		b.Fatal(err)
	}
	local, err := client.NewLocalBudget(noWait)
	if err != nil {
		b.Fatal(err)
	}
	tokens := newTokens(b, s, TokenConfig{})
	for _, bc := range []struct {
		name   string
		budget client.RateBudget
		store  management.TokenStore
	}{
		{"no-budget", nil, nil},
		{"local-budget", local, nil},
		{"redis-budget+token-store", shared, tokens},
	} {
		b.Run(bc.name, func(b *testing.B) {
			m, err := management.New(url, management.Config{ClientID: "app", ClientSecret: testSecret, TokenStore: bc.store,
				HTTP: client.Config{Budget: bc.budget}})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			if _, err := m.Users.Get(ctx, "auth0|1", nil); err != nil { // the token
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Users.Get(ctx, "auth0|1", nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBudgetWait is the budget alone: one reservation (one script
// call) per request.
func BenchmarkBudgetWait(b *testing.B) {
	s := newStore(b, sharedAddr(b), Config{})
	shared, err := s.Budget(BudgetConfig{BudgetConfig: noWait})
	if err != nil {
		b.Fatal(err)
	}
	local, _ := client.NewLocalBudget(noWait)
	for name, bud := range map[string]client.RateBudget{"local": local, "redis": shared} {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if err := bud.Wait(ctx, usersKey); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTokenStoreRefresh is what a replica pays at a refresh point when
// another replica has stored the token: one script call.
func BenchmarkTokenStoreRefresh(b *testing.B) {
	s := newStore(b, sharedAddr(b), Config{})
	tokens := newTokens(b, s, TokenConfig{})
	ctx := context.Background()
	fetch := func(context.Context) (management.StoredToken, error) {
		return management.StoredToken{Value: "tok", RefreshAt: time.Now().Add(time.Hour)}, nil
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tokens.Token(ctx, "bench", fetch); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDPoPVerify is a proof check with the in-process replay store and
// with the shared one.
func BenchmarkDPoPVerify(b *testing.B) {
	s := newStore(b, sharedAddr(b), Config{})
	key, err := authtest.NewDPoPKey("ES256")
	if err != nil {
		b.Fatal(err)
	}
	mem, _ := dpop.NewMemoryStore(dpop.MemoryConfig{})
	for _, bc := range []struct {
		name  string
		store dpop.ReplayStore
	}{{"memory", mem}, {"redis", newReplay(b, s, ReplayConfig{})}} {
		b.Run(bc.name, func(b *testing.B) {
			v := dpopReplica(b, bc.store)
			// Proofs made ahead: signing is not what is measured.
			proofs := make([]string, b.N)
			var req dpop.Request
			for i := range proofs {
				proofs[i], req = proofFor(b, key, "at")
			}
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := v.Verify(ctx, proofs[i], req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReplayAdd is the replay store alone: SET NX PX.
func BenchmarkReplayAdd(b *testing.B) {
	s := newStore(b, sharedAddr(b), Config{})
	r := newReplay(b, s, ReplayConfig{})
	ctx := context.Background()
	exp := time.Now().Add(time.Minute)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		if err := r.Add(ctx, "dpop:bench:"+strconv.Itoa(i), exp); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyCacheHit is a verification answered by the verified-token
// cache, without a revocation set, with the in-process one and with the
// shared one (a lookup per verification, cache hits included).
func BenchmarkVerifyCacheHit(b *testing.B) {
	s := newStore(b, sharedAddr(b), Config{})
	tn := newTenant(b)
	mem, _ := verifier.NewMemoryRevocationSet(verifier.MemoryRevocationConfig{})
	tok, err := tn.Mint(authtest.Token{Claims: map[string]any{"sub": "auth0|alice", "aud": "https://api.example.com", "sid": "s1"}})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		set  verifier.RevocationSet
	}{{"no-revocations", nil}, {"memory", mem}, {"redis", newRevocations(b, s, RevocationConfig{})}} {
		b.Run(bc.name, func(b *testing.B) {
			v := apiReplica(b, tn, bc.set)
			ctx := context.Background()
			if _, err := v.Verify(ctx, tok); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Verify(ctx, tok); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
