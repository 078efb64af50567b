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

// The -demo that .ci/run runs, in process: every answer as expected.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out, logs bytes.Buffer
	if err := run(ctx, []string{"-demo"}, &out, &logs); err != nil {
		t.Fatalf("run -demo: %v; output:\n%s", err, out.String())
	}
	for _, line := range []string{
		`ok +Check, token with health:read +-> OK`,
		`ok +Check, no token +-> Unauthenticated`,
		`ok +Check, token with items:read only +-> PermissionDenied`,
		`ok +reflection \(exempt\), no token +-> OK`,
		`(?m)^all 7 answers as expected$`,
	} {
		if !regexp.MustCompile(line).MatchString(out.String()) {
			t.Errorf("no line matching %q in:\n%s", line, out.String())
		}
	}
	// The refusals are logged, without the tokens.
	if !strings.Contains(logs.String(), `outcome=insufficient_scope status=403 code=PermissionDenied`) {
		t.Errorf("logs: no insufficient_scope line in:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), "eyJ") {
		t.Errorf("logs hold a token:\n%s", logs.String())
	}
}

// Serving mode prints the grpcurl commands, then serves until the context
// ends.
func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, logs syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, &out, &logs) }()
	// Serve until the commands are printed (discovery and the first token
	// come first: on a loaded machine that takes a while), then stop.
	const want = "grpcurl -plaintext -H 'authorization: Bearer "
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(out.String(), want); {
		select {
		case err := <-done:
			t.Fatalf("run ended before printing the commands: %v; output:\n%s", err, out.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no grpcurl command after 30 s in:\n%s", out.String())
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
}

// syncBuffer is a bytes.Buffer that run's goroutine writes while the test
// reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
