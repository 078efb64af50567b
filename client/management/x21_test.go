package management

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/metrics"
)

// x21Child names the environment variable that tells a subprocess started
// by inSubprocess which test's scenario to run.
const x21Child = "TOKENGATE_X21_CHILD"

// TestX21FarFutureRateLimitReset reproduces the crash path end to end: the
// token endpoint answers 429 with an X-RateLimit-Reset thousands of years
// ahead, the metrics ClientObserver is attached, and the token is fetched by
// the Management client's token source under single-flight. A panic there
// is re-raised by singleflight on a goroutine of its own, which no recover
// can catch and which kills the test binary, so the scenario runs in a
// subprocess (this test binary, run again with x21Child set).
func TestX21FarFutureRateLimitReset(t *testing.T) {
	inSubprocess(t, "TestX21FarFutureRateLimitReset", runX21)
}

// inSubprocess runs scenario in a new process of this test binary that
// runs only the test called name, and fails if that process fails or
// crashes. A panic on a goroutine the test does not own (singleflight
// re-raises panics on one) ends the whole process: a subprocess turns that
// into one failed test with the panic in its output.
func inSubprocess(t *testing.T, name string, scenario func(*testing.T)) {
	t.Helper()
	if os.Getenv(x21Child) == name {
		scenario(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), x21Child+"="+name)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the scenario failed or crashed the process (%v); its output:\n%s", err, out)
	}
}

// x21Observer keeps the retry waits it is told about.
type x21Observer struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (o *x21Observer) ObserveRequest(context.Context, client.RequestEvent) {}

func (o *x21Observer) ObserveRetry(_ context.Context, e client.RetryEvent) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.waits = append(o.waits, e.Wait)
}

// tee passes every event to each observer.
type tee []client.Observer

func (t tee) ObserveRequest(_ context.Context, e client.RequestEvent) {
	for _, o := range t {
		o.ObserveRequest(context.Background(), e)
	}
}

func (t tee) ObserveRetry(_ context.Context, e client.RetryEvent) {
	for _, o := range t {
		o.ObserveRetry(context.Background(), e)
	}
}

func runX21(t *testing.T) {
	const maxWait = 20 * time.Millisecond
	resets := []struct{ name, value string }{
		{"2^40 seconds", strconv.FormatInt(1<<40, 10)},
		{"now + 2^40 seconds", strconv.FormatInt(time.Now().Unix()+1<<40, 10)},
		{"year 9999", "253402300799"},
	}
	for _, tc := range resets {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("X-RateLimit-Reset", tc.value)
				w.Header().Set("X-RateLimit-Remaining", "0")
				w.WriteHeader(http.StatusTooManyRequests)
				fmt.Fprint(w, `{"error":"too_many_requests","error_description":"Global limit has been reached"}`)
			}))
			defer srv.Close()
			m, err := metrics.New(metrics.NewRegistry(), metrics.Config{})
			if err != nil {
				t.Fatal(err)
			}
			rec := &x21Observer{}
			mgmt, err := New(srv.URL, Config{ClientID: "cid", ClientSecret: "csecret", HTTP: client.Config{
				Observer:   tee{m.ClientObserver(), rec},
				Backoff:    time.Millisecond,
				MaxWait:    maxWait,
				MaxRetries: 2,
			}})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, err = mgmt.Users.Get(ctx, "auth0|1", nil)
			var rl *client.RateLimitError
			if !errors.Is(err, ErrToken) || !errors.As(err, &rl) {
				t.Fatalf("got %v, want ErrToken wrapping a *client.RateLimitError", err)
			}
			rec.mu.Lock()
			defer rec.mu.Unlock()
			if len(rec.waits) != 2 {
				t.Errorf("got %d retry waits, want 2", len(rec.waits))
			}
			for _, w := range rec.waits {
				if w < 0 || w > maxWait {
					t.Errorf("retry wait %v, want within [0, %v]", w, maxWait)
				}
			}
		})
	}
}

// TestX21TokenFetchPanicIsAnError: a panic inside the single-flight token
// fetch (a hook, a transport, a fetcher) is re-raised by singleflight on a
// goroutine of its own, which kills the process. It must come back to the
// callers as an error instead.
func TestX21TokenFetchPanicIsAnError(t *testing.T) {
	inSubprocess(t, "TestX21TokenFetchPanicIsAnError", func(t *testing.T) {
		src := newCachedToken(panicFetcher{}, "https://tenant/api/v2/", time.Now)
		_, err := src.token(context.Background())
		if !errors.Is(err, ErrToken) || !errors.Is(err, hook.ErrPanic) {
			t.Fatalf("got %v, want ErrToken wrapping hook.ErrPanic", err)
		}
	})
}

// panicFetcher panics like a faulty hook called during the fetch.
type panicFetcher struct{}

func (panicFetcher) clientCredentials(context.Context, string) (string, time.Duration, error) {
	panic("observer exploded")
}
