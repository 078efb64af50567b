package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Load describes one bounded load run: Requests requests, or as many as fit
// in Duration, or whichever comes first when both are set.
type Load struct {
	// URL is the endpoint; it must be on a loopback address.
	URL string
	// Tokens are sent round-robin as bearer tokens; none means no
	// Authorization header.
	Tokens []string
	// Concurrency is the number of workers, each with its own keep-alive
	// connection, each sending its next request when the last one is
	// answered (a closed loop, as wrk does). Default DefaultConcurrency().
	Concurrency int
	// Requests bounds the number of requests; 0 means no bound (Duration
	// must then be set).
	Requests int
	// Duration bounds the time during which requests are started; 0 means
	// no bound (Requests must then be set). At most 10 minutes.
	Duration time.Duration
	// Timeout bounds the whole run, in-flight requests included. Default 1
	// minute, or Duration plus 30 seconds; at most 11 minutes.
	Timeout time.Duration
	// WantStatus is the status every answer must have. Default 200.
	WantStatus int
}

// Result summarises a run.
type Result struct {
	Requests int           // answered with WantStatus
	Failures int           // any other outcome
	Elapsed  time.Duration // wall time of the run
	P50, P99 time.Duration // latency percentiles of the successful requests
	// Conns is the number of TCP connections the run opened: about
	// Concurrency when keep-alive works (net/http's Transport replaces one
	// now and then under CPU load), one per request when it does not.
	Conns int
}

// RPS is the throughput of successful requests.
func (r Result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// DefaultConcurrency is 8 × GOMAXPROCS: 16 workers on the 2-core project
// machine, the connection count run.sh gives wrk too. With fewer, the
// client and server of a loopback pair wait for each other between round
// trips and the figure tracks latency more than the cost of a request; with
// more, only the latency grows (a development run on the project machine,
// wrk against the bare server: about 32k, 38k and 37k requests/s at 4, 16
// and 32 connections, the p99 four times higher at 32).
func DefaultConcurrency() int { return 8 * runtime.GOMAXPROCS(0) }

// ErrNotLoopback is returned for a URL that is not on a loopback address:
// the driver never sends load anywhere else.
var ErrNotLoopback = errors.New("e2e: load is only sent to loopback addresses")

const (
	maxBody     = 1 << 20
	maxDuration = 10 * time.Minute
)

// check resolves l's defaults and refuses what the driver never does.
func (l *Load) check() error {
	u, err := url.Parse(l.URL)
	if err != nil {
		return fmt.Errorf("e2e: bad URL: %w", err)
	}
	if u.Scheme != "http" || !loopback(u.Hostname()) {
		return ErrNotLoopback
	}
	switch {
	case l.Requests < 0 || l.Duration < 0:
		return errors.New("e2e: Requests and Duration must not be negative")
	case l.Requests == 0 && l.Duration == 0:
		return errors.New("e2e: set Requests, Duration or both")
	case l.Duration > maxDuration:
		return fmt.Errorf("e2e: Duration %v above %v", l.Duration, maxDuration)
	}
	if l.Concurrency <= 0 {
		l.Concurrency = DefaultConcurrency()
	}
	if l.Requests > 0 && l.Concurrency > l.Requests {
		l.Concurrency = l.Requests
	}
	if l.Timeout <= 0 {
		l.Timeout = time.Minute
		if l.Duration > 0 {
			l.Timeout = l.Duration + 30*time.Second
		}
	}
	if l.Timeout > maxDuration+time.Minute {
		return fmt.Errorf("e2e: Timeout %v above %v", l.Timeout, maxDuration+time.Minute)
	}
	if l.WantStatus == 0 {
		l.WantStatus = http.StatusOK
	}
	return nil
}

// Run sends the requests l describes and measures them.
func Run(ctx context.Context, l Load) (Result, error) {
	if err := l.check(); err != nil {
		return Result{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, l.Timeout)
	defer cancel()

	var conns atomic.Int64
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		Proxy: nil, // loopback only: never through a proxy
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conns.Add(1)
			return dialer.DialContext(ctx, network, addr)
		},
		// One connection per worker, kept alive: without MaxConnsPerHost
		// the Transport may dial a spare while a worker waits for one; with
		// an idle pool only as large as the workers, it closed returning
		// connections more often under CPU load, and redialled.
		MaxConnsPerHost:     l.Concurrency,
		MaxIdleConns:        2 * l.Concurrency,
		MaxIdleConnsPerHost: 2 * l.Concurrency,
		IdleConnTimeout:     30 * time.Second,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}

	// Authorization header values, built once so that the client's own work
	// per request is the same for every server.
	auth := make([]string, len(l.Tokens))
	for i, t := range l.Tokens {
		auth[i] = "Bearer " + t
	}

	var next atomic.Int64 // request sequence number: bounds the run, picks the token
	lat := make([][]time.Duration, l.Concurrency)
	fails := make([]int, l.Concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range l.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				n := next.Add(1) - 1
				if l.Requests > 0 && n >= int64(l.Requests) {
					return
				}
				t0 := time.Now()
				if l.Duration > 0 && t0.Sub(start) >= l.Duration {
					return
				}
				ok := do(ctx, client, l.URL, auth, n, l.WantStatus)
				if !ok {
					fails[w]++
					continue
				}
				lat[w] = append(lat[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	res := Result{Elapsed: time.Since(start), Conns: int(conns.Load())}
	var all []time.Duration
	for w := range lat {
		all = append(all, lat[w]...)
		res.Failures += fails[w]
	}
	res.Requests = len(all)
	slices.Sort(all)
	res.P50, res.P99 = percentile(all, 0.50), percentile(all, 0.99)
	return res, nil
}

// do sends request n and reports whether it was answered with want.
func do(ctx context.Context, c *http.Client, u string, auth []string, n int64, want int) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return false
	}
	if len(auth) > 0 {
		req.Header["Authorization"] = []string{auth[n%int64(len(auth))]}
	}
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	// Read the whole (bounded) body so that the connection is reused.
	_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
	return err == nil && resp.StatusCode == want
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// BenchLine formats r as a line of Go benchmark output, the format
// benchstat and bench/cmd/report read ("BenchmarkE2E/server=S/driver=D",
// iterations = requests answered, then ns/op, req/s, p50-ns, p99-ns,
// failures). The driver key comes last: names such as
// go-jwt-middleware-v2 end in what would otherwise read as a GOMAXPROCS
// suffix.
func (r Result) BenchLine(server, driver string) string {
	nsOp := 0.0
	if rps := r.RPS(); rps > 0 {
		nsOp = 1e9 / rps
	}
	return fmt.Sprintf("BenchmarkE2E/server=%s/driver=%s\t%d\t%.0f ns/op\t%.1f req/s\t%d p50-ns\t%d p99-ns\t%d failures",
		server, driver, r.Requests, nsOp, r.RPS(), r.P50.Nanoseconds(), r.P99.Nanoseconds(), r.Failures)
}
