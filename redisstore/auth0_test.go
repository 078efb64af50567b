package redisstore

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/management"
)

// fakeAuth0 is an httptest Auth0 that counts: /oauth/token hands out
// numbered client-credentials tokens, GET /api/v2/users/{id} checks them
// and enforces a rate limit the way Auth0 does (a token bucket; 429 with
// X-RateLimit-* beyond it).
type fakeAuth0 struct {
	srv      *httptest.Server
	lifetime time.Duration // expires_in of the tokens
	rate     float64       // API requests per second; 0: no limit
	burst    int

	mu       sync.Mutex
	fetches  []time.Time
	tokens   map[string]time.Time // token → expiry
	refused  map[string]bool      // tokens answered 401 before they expire
	arrivals []time.Time          // API requests let through
	byToken  map[string]int
	n429     int
	n401     int
	tat      time.Time // the limiter's GCRA state
}

func newFakeAuth0(t testing.TB, lifetime time.Duration, rate float64, burst int) *fakeAuth0 {
	t.Helper()
	a := &fakeAuth0{lifetime: lifetime, rate: rate, burst: max(burst, 1),
		tokens: map[string]time.Time{}, refused: map[string]bool{}, byToken: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", a.token)
	mux.HandleFunc("GET /api/v2/users/{id}", a.user)
	a.srv = httptest.NewServer(mux)
	t.Cleanup(a.srv.Close)
	return a
}

func (a *fakeAuth0) token(w http.ResponseWriter, r *http.Request) {
	if r.ParseForm() != nil || r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("client_secret") != testSecret {
		http.Error(w, `{"error":"access_denied"}`, http.StatusUnauthorized)
		return
	}
	a.mu.Lock()
	now := time.Now()
	a.fetches = append(a.fetches, now)
	tok := fmt.Sprintf("m2m-%d", len(a.fetches))
	a.tokens[tok] = now.Add(a.lifetime)
	a.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": int(a.lifetime / time.Second)})
}

func (a *fakeAuth0) user(w http.ResponseWriter, r *http.Request) {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	a.mu.Lock()
	now := time.Now()
	exp, ok := a.tokens[tok]
	if !ok || !now.Before(exp) || a.refused[tok] {
		a.n401++
		a.mu.Unlock()
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"statusCode":401,"error":"Unauthorized","message":"Invalid token"}`))
		return
	}
	if a.rate > 0 {
		iv := time.Duration(float64(time.Second) / a.rate)
		tau := iv * time.Duration(a.burst-1)
		tat := a.tat
		if tat.Before(now) {
			tat = now
		}
		if tat.Add(-tau).After(now) {
			a.n429++
			a.mu.Unlock()
			w.Header().Set("X-RateLimit-Limit", strconv.Itoa(int(a.rate)))
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(time.Second).Unix(), 10))
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached"}`))
			return
		}
		a.tat = tat.Add(iv)
	}
	a.arrivals = append(a.arrivals, now)
	a.byToken[tok]++
	a.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"user_id":"` + r.PathValue("id") + `"}`))
}

// refuse makes the API answer 401 to tok from now on.
func (a *fakeAuth0) refuse(tok string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refused[tok] = true
}

type auth0Counts struct {
	fetches  []time.Time
	arrivals []time.Time
	n429     int
	n401     int
	byToken  map[string]int
}

func (a *fakeAuth0) counts() auth0Counts {
	a.mu.Lock()
	defer a.mu.Unlock()
	c := auth0Counts{fetches: append([]time.Time(nil), a.fetches...), arrivals: append([]time.Time(nil), a.arrivals...),
		n429: a.n429, n401: a.n401, byToken: map[string]int{}}
	for k, v := range a.byToken {
		c.byToken[k] = v
	}
	return c
}

const (
	testClientID = "fleet-app"
	testSecret   = "fleet-app-secret-0123456789abcdef"
)

// newReplica returns one replica's Management client of a: its own
// instance, sharing tokens and budget (either may be nil).
func newReplica(t testing.TB, a *fakeAuth0, tokens management.TokenStore, budget client.RateBudget) *management.Management {
	t.Helper()
	cfg := management.Config{ClientID: testClientID, ClientSecret: testSecret, HTTP: client.Config{Budget: budget, MaxRetries: client.NoRetries}}
	if tokens != nil {
		cfg.TokenStore = tokens
	}
	m, err := management.New(a.srv.URL, cfg)
	if err != nil {
		t.Fatalf("management.New: %v", err)
	}
	return m
}
