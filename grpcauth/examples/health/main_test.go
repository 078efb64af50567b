package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
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
	var out, logs bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, &out, &logs) }()
	time.Sleep(500 * time.Millisecond)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	if !strings.Contains(out.String(), "grpcurl -plaintext -H 'authorization: Bearer ") {
		t.Errorf("no grpcurl command in:\n%s", out.String())
	}
}
