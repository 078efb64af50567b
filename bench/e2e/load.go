package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Load describes one bounded load run.
type Load struct {
	// URL is the endpoint; it must be on a loopback address.
	URL string
	// Tokens are sent round-robin as bearer tokens; none means no
	// Authorization header.
	Tokens []string
	// Concurrency is the number of client goroutines (connections).
	// Default 16.
	Concurrency int
	// Requests bounds the number of requests. Required.
	Requests int
	// Timeout bounds the whole run. Default 1 minute, at most 10 minutes.
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
}

// RPS is the throughput of successful requests.
func (r Result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// ErrNotLoopback is returned for a URL that is not on a loopback address:
// the driver never sends load anywhere else.
var ErrNotLoopback = errors.New("e2e: load is only sent to loopback addresses")

const maxBody = 1 << 20

// Run sends l.Requests requests (or fewer if the timeout passes first) and
// measures them.
func Run(ctx context.Context, l Load) (Result, error) {
	u, err := url.Parse(l.URL)
	if err != nil {
		return Result{}, err
	}
	if !loopback(u.Hostname()) {
		return Result{}, ErrNotLoopback
	}
	if l.Requests <= 0 {
		return Result{}, errors.New("e2e: Requests must be positive")
	}
	if l.Concurrency <= 0 {
		l.Concurrency = 16
	}
	if l.Concurrency > l.Requests {
		l.Concurrency = l.Requests
	}
	if l.Timeout <= 0 {
		l.Timeout = time.Minute
	}
	if l.Timeout > 10*time.Minute {
		return Result{}, fmt.Errorf("e2e: Timeout %v above 10 minutes", l.Timeout)
	}
	if l.WantStatus == 0 {
		l.WantStatus = http.StatusOK
	}
	ctx, cancel := context.WithTimeout(ctx, l.Timeout)
	defer cancel()

	tr := &http.Transport{
		Proxy:               nil, // loopback only: never through a proxy
		MaxIdleConns:        l.Concurrency,
		MaxIdleConnsPerHost: l.Concurrency,
		IdleConnTimeout:     30 * time.Second,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}

	var next atomic.Int64 // request sequence number, bounds the run
	lat := make([][]time.Duration, l.Concurrency)
	fails := make([]int, l.Concurrency)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range l.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat[w] = make([]time.Duration, 0, l.Requests/l.Concurrency+1)
			for ctx.Err() == nil {
				n := next.Add(1) - 1
				if n >= int64(l.Requests) {
					return
				}
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.URL, nil)
				if err != nil {
					fails[w]++
					continue
				}
				if len(l.Tokens) > 0 {
					req.Header.Set("Authorization", "Bearer "+l.Tokens[int(n)%len(l.Tokens)])
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					fails[w]++
					continue
				}
				io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
				resp.Body.Close()
				d := time.Since(t0)
				if resp.StatusCode != l.WantStatus {
					fails[w]++
					continue
				}
				lat[w] = append(lat[w], d)
			}
		}()
	}
	wg.Wait()
	res := Result{Elapsed: time.Since(start)}
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
