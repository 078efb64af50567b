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

// The -demo that .ci/run runs, in process: every step as expected.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, logs bytes.Buffer
	if err := run(ctx, []string{"-demo"}, &out, &logs); err != nil {
		t.Fatalf("run -demo: %v; output:\n%s", err, out.String())
	}
	for _, line := range []string{
		`ok +POST /oauth/token with a DPoP proof +-> 200 token_type DPoP`,
		`ok +GET /api/items, DPoP token and proof +-> 200`,
		`ok +GET /api/items, the same proof again \(replay\) +-> 401 invalid_dpop_proof`,
		`ok +GET /api/items, the DPoP token as Bearer +-> 401 invalid_token`,
		`ok +GET /api/nonce/items, proof without nonce +-> 401 use_dpop_nonce`,
		`ok +GET /api/nonce/items, retry with the DPoP-Nonce +-> 200`,
		`(?m)^all 11 answers as expected$`,
	} {
		if !regexp.MustCompile(line).MatchString(out.String()) {
			t.Errorf("no line matching %q in:\n%s", line, out.String())
		}
	}
}

// Serving mode prints the steps with fresh proofs, then serves until the
// context ends.
func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &watch{ready: make(chan struct{}), marker: "Serving until interrupted"}
	var logs bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, out, &logs) }()
	select {
	case <-out.ready:
	case err := <-done:
		t.Fatalf("run returned before serving: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("run did not print its steps")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("run did not return after the context ended")
	}
	got := out.String()
	for _, want := range []string{"# 2. A DPoP-bound token", "curl -s http://127.0.0.1:", "-H 'DPoP: ey", "export TOKEN='ey", `-H "Authorization: DPoP $TOKEN"`, "Serving until interrupted"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

// watch is an output that closes ready once marker was written.
type watch struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	marker string
	ready  chan struct{}
	seen   bool
}

func (w *watch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if !w.seen && strings.Contains(w.buf.String(), w.marker) {
		w.seen = true
		close(w.ready)
	}
	return n, err
}

func (w *watch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
