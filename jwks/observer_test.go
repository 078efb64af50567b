package jwks_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/verifier"
)

// panicObserver panics in every method, after counting the call.
type panicObserver struct{ fetches, misses atomic.Int64 }

func (o *panicObserver) ObserveFetch(context.Context, jwks.FetchEvent) {
	o.fetches.Add(1)
	panic("observer bug: fetch")
}

func (o *panicObserver) ObserveKidMiss(context.Context, jwks.KidMissEvent) {
	o.misses.Add(1)
	panic("observer bug: kid miss")
}

// TestObserverPanicRecovered: an Observer that panics can take down
// neither the refresh goroutine (the process) nor a lookup (the request):
// fetches, publication, kid-miss refetches and lookups go on, and the
// panic is logged.
func TestObserverPanicRecovered(t *testing.T) {
	srv := newJWKSServer(t, oneKeyDoc())
	clk := newFakeClock()
	obs := &panicObserver{}
	var logs syncBuffer
	c := newCache(t, srv.URL, clk, func(cfg *jwks.Config) {
		cfg.Observer = obs
		cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelError}))
	})
	if k, err := lookup(c, "k1", "RS256"); err != nil || k == nil {
		t.Fatalf("k1 after a fetch whose observer panicked: got %v, %v; want the key", k, err)
	}
	srv.set(http.StatusOK, doc(rsaJWK("k1", &rsaKey.PublicKey), rsaJWK("k2", &rsaKey2.PublicKey)))
	clk.Advance(time.Minute)
	if k, err := lookup(c, "k2", "RS256"); err != nil || k == nil {
		t.Fatalf("k2 by a kid-miss refetch whose observers panicked: got %v, %v; want the key", k, err)
	}
	if _, err := lookup(c, "unknown", "RS256"); !errors.Is(err, verifier.ErrKeyNotFound) {
		t.Fatalf("unknown kid within the cooldown: got %v, want ErrKeyNotFound", err)
	}
	srv.set(http.StatusInternalServerError, "down")
	clk.Advance(8 * time.Minute)
	waitFor(t, "a failed refresh", func() bool { return c.Stats().Failures == 1 })
	waitFor(t, "its observer call", func() bool { return obs.fetches.Load() == 3 })
	if got := obs.misses.Load(); got != 2 {
		t.Fatalf("kid-miss observer calls: got %d, want 2", got)
	}
	if !strings.Contains(logs.String(), "observer bug") {
		t.Fatalf("logs: got %q, want the panic logged", logs.String())
	}
}

// panicRT is a caller's transport with a bug.
type panicRT struct{}

func (panicRT) RoundTrip(*http.Request) (*http.Response, error) { panic("transport bug") }

// TestTransportPanicRecovered: a caller's RoundTripper that panics runs on
// the cache's fetch goroutine (httprc's worker), where nobody could
// recover it: the panic fails that fetch instead of the process.
func TestTransportPanicRecovered(t *testing.T) {
	_, err := jwks.New(jwks.Config{URL: "http://127.0.0.1:9/jwks", HTTPClient: &http.Client{Transport: panicRT{}}, Prefetch: 5 * time.Second})
	if !errors.Is(err, verifier.ErrKeysUnavailable) || !errors.Is(err, hook.ErrPanic) {
		t.Fatalf("New with a panicking transport: got %v, want ErrKeysUnavailable wrapping hook.ErrPanic", err)
	}
}
