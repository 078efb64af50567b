package management

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/tokengate/tokengate/client"
)

// routeRecorder keeps the route of every attempt.
type routeRecorder struct {
	mu     sync.Mutex
	routes []string
}

func (r *routeRecorder) ObserveRequest(_ context.Context, e client.RequestEvent) {
	r.mu.Lock()
	r.routes = append(r.routes, e.Route)
	r.mu.Unlock()
}

func (r *routeRecorder) ObserveRetry(context.Context, client.RetryEvent) {}

func (r *routeRecorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.routes
	r.routes = nil
	return out
}

// TestRouteTemplates: every method of coverage.tsv tells the client's
// hooks its path template, exactly as the reference row writes it under
// /api/v2 (parameter names included), never the path with its values.
func TestRouteTemplates(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		io.WriteString(w, `{}`)
	})
	rec := &routeRecorder{}
	m := newTestManagement(t, srv, Config{HTTP: client.Config{Observer: rec}})
	for _, c := range readCoverage(t) {
		if c.goMethod == "PENDING" {
			continue
		}
		call := routeCall(c)
		t.Run(c.key(), func(t *testing.T) {
			rec.take()
			_ = call(context.Background(), m)
			got := rec.take()
			want := apiPrefix + c.path
			if len(got) == 0 {
				t.Fatal("no request observed")
			}
			for _, r := range got {
				if r != want {
					t.Errorf("route: got %q, want %q", r, want)
				}
				if strings.Contains(r, "u1") {
					t.Errorf("route %q holds a sample parameter value", r)
				}
			}
		})
	}
}
