package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The -demo that .ci/run runs, in process: every call as expected.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, logs bytes.Buffer
	if err := run(ctx, []string{"-demo"}, &out, &logs); err != nil {
		t.Fatalf("run -demo: %v; output:\n%s", err, out.String())
	}
	for _, line := range []string{
		`ok +2\. POST \S+, password login only \(no MFA\) -> 401 insufficient_user_authentication`,
		`WWW-Authenticate: Bearer realm="api", error="insufficient_user_authentication", error_description="a different authentication level is required", acr_values="http://schemas.openid.net/pape/policies/2007/06/multi-factor", max_age=300`,
		`error_description="more recent authentication is required"`,
		`ok +4\. POST \S+, MFA, detail for another account -> 403 access_denied`,
		`ok +9\. POST \S+, MFA, a detail of a type the API does not accept -> 401 invalid_token`,
		`ok +10\. POST \S+, MFA, detail covers the payment -> 200`,
		`(?m)^all 10 answers as expected$`,
	} {
		if !regexp.MustCompile(line).MatchString(out.String()) {
			t.Errorf("no line matching %q in:\n%s", line, out.String())
		}
	}
}

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]int64{"120.00": 12000, "120.5": 12050, "7": 700, "10000.00": 1_000_000} {
		if got, ok := parseAmount(in); !ok || got != want {
			t.Errorf("parseAmount(%q): got %d %v, want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", ".5", "10.", "1e3", "-5", "+5", "1.234", "0x10", "1 0", "NaN", strings.Repeat("9", 13), "1.2.3"} {
		if got, ok := parseAmount(in); ok {
			t.Errorf("parseAmount(%q): got %d, want refused", in, got)
		}
	}
}

// Serving mode prints a curl command per case, then serves until the
// context ends.
func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, out, &bytes.Buffer{}) }()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), "Serving until interrupted") {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("run did not print its cases:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# 2. password login only (no MFA): expect 401 insufficient_user_authentication", "curl -si -X POST http://127.0.0.1:", "-H 'Authorization: Bearer ey"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
