package jwks_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/jwks"
)

type markKey struct{}

// markRecorder records the events and the mark of the lookup's context.
type markRecorder struct {
	recorder
	mu    sync.Mutex
	marks []any
}

func (r *markRecorder) ObserveKidMiss(ctx context.Context, e jwks.KidMissEvent) {
	r.mu.Lock()
	r.marks = append(r.marks, ctx.Value(markKey{}))
	r.mu.Unlock()
	r.recorder.ObserveKidMiss(ctx, e)
}

// TestObserverEvents: a fetch event has its start, duration and the bytes
// read; a kid miss comes with the context of the lookup; a joined observer
// gives both observers every event, even when the first one panics.
func TestObserverEvents(t *testing.T) {
	body := oneKeyDoc()
	srv := newJWKSServer(t, body)
	clk := newFakeClock()
	rec := &markRecorder{}
	var logs syncBuffer
	c := newCache(t, srv.URL, clk, func(cfg *jwks.Config) {
		cfg.Observer = jwks.JoinObservers(nil, &panicObserver{}, rec)
		cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	if _, err := lookup(c, "k1", "RS256"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	ctx := context.WithValue(context.Background(), markKey{}, "request-1")
	if _, err := c.Key(ctx, "unknown", "RS256"); err == nil {
		t.Fatal("got a key for an unknown kid")
	}
	waitFor(t, "two fetch events", func() bool { return len(rec.outcomes()) == 2 })
	rec.recorder.mu.Lock()
	first := rec.fetches[0]
	misses := len(rec.misses)
	rec.recorder.mu.Unlock()
	if first.Outcome != jwks.OutcomeOK || first.StatusCode != http.StatusOK || first.Start.IsZero() || first.Duration < 0 || first.Bytes != len(body) {
		t.Errorf("first fetch: got %+v, want ok, 200, a start and %d bytes", first, len(body))
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if misses != 1 || len(rec.marks) != 1 || rec.marks[0] != "request-1" {
		t.Errorf("kid miss: got %d events with marks %v, want one with the lookup's context", misses, rec.marks)
	}
	if !strings.Contains(logs.String(), "observer bug") {
		t.Errorf("logs: got %q, want the panic of the first observer logged", logs.String())
	}
	if jwks.JoinObservers(nil) != nil {
		t.Error("JoinObservers(nil): got an observer, want nil")
	}
}
