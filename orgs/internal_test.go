package orgs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
)

func TestMemberCacheBound(t *testing.T) {
	c := newCache[memberKey, bool](3)
	now := time.Unix(1000, 0)
	exp := now.Add(time.Minute)
	for i := range 5 {
		c.put(memberKey{"org_a", fmt.Sprint(i)}, true, exp)
	}
	if n := c.len(); n != 3 {
		t.Fatalf("len: got %d, want 3", n)
	}
	for i, want := range []bool{false, false, true, true, true} {
		if _, ok := c.get(memberKey{"org_a", fmt.Sprint(i)}, now); ok != want {
			t.Errorf("entry %d cached: got %v, want %v", i, ok, want)
		}
	}
	// Least recently used goes first: 2 was read last above... touch 2.
	c.get(memberKey{"org_a", "2"}, now)
	c.put(memberKey{"org_a", "5"}, false, exp)
	if _, ok := c.get(memberKey{"org_a", "3"}, now); ok {
		t.Errorf("entry 3: got cached, want evicted as least recently used")
	}
	if m, ok := c.get(memberKey{"org_a", "5"}, now); !ok || m {
		t.Errorf("entry 5: got %v, %v, want false, true", m, ok)
	}
	if _, ok := c.get(memberKey{"org_a", "5"}, exp); ok {
		t.Errorf("entry 5 at expiry: got cached, want expired")
	}
	if n := c.len(); n != 2 {
		t.Errorf("len after expiry: got %d, want 2", n)
	}
}

func TestMemberCacheHitAllocs(t *testing.T) {
	c := newCache[memberKey, bool](10)
	now := time.Unix(1000, 0)
	c.put(memberKey{"org_a", "auth0|alice"}, true, now.Add(time.Minute))
	k := memberKey{"org_a", "auth0|alice"}
	if n := testing.AllocsPerRun(100, func() { c.get(k, now) }); n != 0 {
		t.Errorf("allocations per hit: got %v, want 0", n)
	}
}

var hostCases = []struct {
	in   string
	host string
	ok   bool
}{
	{"acme.example.com", "acme.example.com", true},
	{"ACME.Example.com:8443", "acme.example.com", true},
	{"acme.example.com.", "acme.example.com", true},
	{"acme.example.com:", "acme.example.com", true},
	{"127.0.0.1:80", "127.0.0.1", true},
	{"[::1]:8080", "::1", true},
	{"[::1]", "::1", true},
	{"[::1", "", false},
	{"[::1]x", "", false},
	{"[]", "", false},
	{"::1", "", false},
	{"acme:80:80", "", false},
	{"acme:http", "", false},
	{"", "", false},
	{".", "", false},
	{"..", "", false},
	{".acme", "", false},
	{"a..b", "", false},
	{"a b", "", false},
	{"acme/x", "", false},
	{"évil.com", "", false},
}

func TestCanonicalHost(t *testing.T) {
	for _, tt := range hostCases {
		host, ok := canonicalHost(tt.in)
		if host != tt.host || ok != tt.ok {
			t.Errorf("canonicalHost(%q): got %q, %v, want %q, %v", tt.in, host, ok, tt.host, tt.ok)
		}
	}
}

// FuzzCanonicalHost: never panics; a host returned is non-empty, lower
// case, has no port separator outside an IP literal and no trailing dot.
func FuzzCanonicalHost(f *testing.F) {
	for _, tt := range hostCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		host, ok := canonicalHost(in)
		if !ok {
			if host != "" {
				t.Fatalf("canonicalHost(%q): got %q with false", in, host)
			}
			return
		}
		if host == "" || host != strings.ToLower(host) || strings.HasSuffix(host, ".") && !strings.HasPrefix(in, "[") {
			t.Fatalf("canonicalHost(%q): got %q", in, host)
		}
		if strings.ContainsAny(host, " /\\@?#[]") {
			t.Fatalf("canonicalHost(%q): got %q with a separator", in, host)
		}
		if !strings.HasPrefix(in, "[") && strings.Contains(host, ":") {
			t.Fatalf("canonicalHost(%q): got %q with a port", in, host)
		}
		if !strings.Contains(strings.ToLower(in), host) {
			t.Fatalf("canonicalHost(%q): got %q, not part of the input", in, host)
		}
	})
}

// TestX14LateAnswerNotUsed: an answer that comes after the timeout, from a
// source that ignored its context, is an error and is not cached.
func TestX14LateAnswerNotUsed(t *testing.T) {
	now := time.Unix(1000, 0)
	a := &answers[string, bool]{
		cache: newCache[string, bool](10),
		fetch: func(ctx context.Context, _ string) (bool, error) {
			<-ctx.Done() // the deadline passes; the source answers anyway
			return true, nil
		},
		flight:  func(k string) string { return k },
		clone:   strings.Clone,
		ttl:     func(bool) time.Duration { return time.Minute },
		timeout: time.Millisecond,
		now:     func() time.Time { return now },
	}
	v, err := a.call(context.Background(), "org_a")
	if !errors.Is(err, context.DeadlineExceeded) || v {
		t.Errorf("late answer: got %v, %v, want false and a deadline error", v, err)
	}
	if n := a.cache.len(); n != 0 {
		t.Errorf("cache entries: got %d, want 0", n)
	}
}

// TestAnswersPanic: a panicking source is an error wrapping hook.ErrPanic,
// also through singleflight, and the process goes on.
func TestAnswersPanic(t *testing.T) {
	a := &answers[string, bool]{
		cache:   newCache[string, bool](10),
		fetch:   func(context.Context, string) (bool, error) { panic("source bug") },
		flight:  func(k string) string { return k },
		clone:   strings.Clone,
		ttl:     func(bool) time.Duration { return time.Minute },
		timeout: time.Minute,
		now:     time.Now,
	}
	if _, _, err := a.get(context.Background(), "org_a"); !errors.Is(err, hook.ErrPanic) {
		t.Errorf("error: got %v, want one wrapping hook.ErrPanic", err)
	}
}

// TestX15LookupCacheLen: however many organizations clients name, the
// lookup cache holds at most WithCacheSize answers.
func TestX15LookupCacheLen(t *testing.T) {
	const size = 16
	cfg := newRequireConfig([]Option{
		WithLookup(func(context.Context, string) ([]string, error) { return []string{"org_p"}, nil }),
		WithCacheSize(size),
	})
	l := newLookups(cfg)
	for i := range 1000 {
		if _, _, err := l.get(context.Background(), fmt.Sprintf("org_%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := l.cache.len(); n != size {
		t.Errorf("cache entries: got %d, want %d", n, size)
	}
}
