package orgs_test

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

// stubborn is a MembershipChecker that ignores its context (a database
// driver without context support): every call blocks until release is
// closed, then answers member.
type stubborn struct {
	release  chan struct{}
	once     sync.Once
	calls    atomic.Int32
	returned atomic.Int32
}

func (s *stubborn) IsMember(context.Context, string, string) (bool, error) {
	s.calls.Add(1)
	defer s.returned.Add(1)
	<-s.release
	return true, nil
}

func (s *stubborn) free() { s.once.Do(func() { close(s.release) }) }

// TestX14TimeoutBoundsStubbornChecker: WithTimeout bounds the wait of every
// request even when the checker ignores its context; the flight is
// forgotten, so the next request starts a new check instead of joining the
// stuck one; the stuck calls return once the checker does.
func TestX14TimeoutBoundsStubbornChecker(t *testing.T) {
	s := &stubborn{release: make(chan struct{})}
	t.Cleanup(s.free)
	h := middleware.Authenticate(newVerifier(t))(orgs.RequireMember(s, orgs.WithTimeout(20*time.Millisecond))(echo))
	srv := server(t, h)
	alice := token(t, map[string]any{"org_id": "org_acme"})
	unavailable := want{503, "", bodyUnavailable, "10"}
	for i := int32(1); i <= 2; i++ {
		// A client deadline far beyond the timeout, so that the old code
		// fails instead of hanging.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/", nil)
		req.Header.Set("Authorization", "Bearer "+alice)
		resp, err := srv.Client().Do(req)
		if err != nil {
			cancel()
			t.Fatalf("request %d: %v", i, err)
		}
		body := readAll(t, resp)
		cancel()
		check(t, resp, body, unavailable)
		// The call runs on a goroutine of its own and may start late; had
		// the flight not been forgotten, request 2 would have joined call
		// 1 and the count would stay at 1.
		waitFor(t, func() bool { return s.calls.Load() == i }, "checker calls %d", i)
	}
	if got := s.calls.Load(); got != 2 {
		t.Errorf("checker calls: got %d, want 2", got)
	}
	s.free()
	waitFor(t, func() bool { return s.returned.Load() == s.calls.Load() }, "all %d checker calls returned", s.calls.Load())
}

// waitFor polls cond until it holds, failing the test after 10 seconds.
func waitFor(t *testing.T, cond func() bool, format string, args ...any) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for: "+format, args...)
		}
	}
}
