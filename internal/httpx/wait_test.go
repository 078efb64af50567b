package httpx

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"testing"
	"time"
)

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name, v string
		want    time.Duration
		ok      bool
	}{
		{"absent", "", 0, false},
		{"zero", "0", 0, true},
		{"seconds", "120", 120 * time.Second, true},
		{"spaces around", " 7 ", 7 * time.Second, true},
		{"leading zeros", "0000000000000000000042", 42 * time.Second, true},
		{"one day", "86400", MaxHeaderWait, true},
		{"beyond a day", "86401", MaxHeaderWait, true},
		{"huge", "99999999999999999999999999999999", MaxHeaderWait, true},
		{"2^63", strconv.FormatUint(1<<63, 10), MaxHeaderWait, true},
		{"negative", "-1", 0, false},
		{"plus", "+5", 0, false},
		{"fraction", "1.5", 0, false},
		{"hex", "0x10", 0, false},
		{"garbage", "soon", 0, false},
		{"date ahead", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{"date past", now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"date far ahead", "Fri, 31 Dec 9999 23:59:59 GMT", MaxHeaderWait, true},
		{"date far past", "Mon, 01 Jan 0001 00:00:00 GMT", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.v != "" {
				h.Set("Retry-After", tt.v)
			}
			d, ok := RetryAfter(h, now)
			if d != tt.want || ok != tt.ok {
				t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tt.v, d, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestRateLimitReset(t *testing.T) {
	unix := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }
	tests := []struct {
		name, v string
		want    time.Duration
		ok      bool
	}{
		{"absent", "", 0, false},
		{"ahead", unix(30 * time.Second), 30 * time.Second, true},
		{"past", unix(-30 * time.Second), 0, true},
		{"2^40 seconds", strconv.FormatInt(1<<40, 10), 0, false},
		{"year 9999", "253402300799", MaxHeaderWait, true},
		{"max int64", strconv.FormatInt(math.MaxInt64, 10), 0, false},
		{"zero", "0", 0, false},
		{"negative", "-5", 0, false},
		{"garbage", "tomorrow", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.v != "" {
				h.Set("X-RateLimit-Reset", tt.v)
			}
			d, ok := RateLimitReset(h, now)
			if d != tt.want || ok != tt.ok {
				t.Errorf("RateLimitReset(%q) = %v, %v; want %v, %v", tt.v, d, ok, tt.want, tt.ok)
			}
		})
	}
}

// FuzzWait checks the one promise every caller relies on: whatever the
// headers say, the wait is in [0, MaxHeaderWait].
func FuzzWait(f *testing.F) {
	for _, s := range []string{"", "0", "86400", "-1", "99999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT", "1099511627776"} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, v string, offset int64) {
		at := now.Add(time.Duration(offset))
		h := http.Header{"Retry-After": {v}, "X-Ratelimit-Reset": {v}}
		for _, got := range []func() (time.Duration, bool){
			func() (time.Duration, bool) { return RetryAfter(h, at) },
			func() (time.Duration, bool) { return RateLimitReset(h, at) },
			func() (time.Duration, bool) { return Seconds(v) },
		} {
			if d, _ := got(); d < 0 || d > MaxHeaderWait {
				t.Fatalf("wait %v for %q is outside [0, %v]", d, v, MaxHeaderWait)
			}
		}
	})
}

// Sleep ends with the context: at once when it has ended, during the wait
// when it ends then; a wait of 0 or less with a live context is nil.
func TestSleep(t *testing.T) {
	live := context.Background()
	if err := Sleep(live, 0); err != nil {
		t.Errorf("Sleep(live, 0): got %v, want nil", err)
	}
	if err := Sleep(live, -time.Hour); err != nil {
		t.Errorf("Sleep(live, -1h): got %v, want nil", err)
	}
	if err := Sleep(live, time.Millisecond); err != nil {
		t.Errorf("Sleep(live, 1ms): got %v, want nil", err)
	}
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	for _, d := range []time.Duration{-1, 0, time.Hour} {
		if err := Sleep(ended, d); !errors.Is(err, context.Canceled) {
			t.Errorf("Sleep(ended, %v): got %v, want context.Canceled", d, err)
		}
	}
	ctx, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(10*time.Millisecond, cancel2)
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep(ctx canceled during an hour's wait): got %v, want context.Canceled", err)
	}
}
