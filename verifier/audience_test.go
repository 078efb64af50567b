package verifier_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// TestFH8AudienceMismatchSaysWhatTheTokenHad: an audience mismatch names the
// audiences the token carried, as the issuer mismatch names its iss:
// quoted (control characters escaped), each cut, at most a few of them,
// never the token (SECURITY.md 3.28).
func TestFH8AudienceMismatchSaysWhatTheTokenHad(t *testing.T) {
	loadKeys()
	v := newVerifier(t, verifier.Config{})
	many := make([]string, 50)
	for i := range many {
		many[i] = "aud-" + strings.Repeat("x", i)
	}
	tests := []struct {
		name    string
		aud     any
		want    []string
		notWant []string
	}{
		{"FH8/string", "https://other.example.com/", []string{`expected one of ["api"], found "https://other.example.com/"`}, nil},
		{"FH8/list", []string{"a", "b"}, []string{`found ["a" "b"]`}, nil},
		{"FH8/control-chars", "evil\r\nX-Injected: 1\x00", []string{`found "evil\r\nX-Injected: 1\x00"`}, []string{"\r", "\n", "\x00"}},
		{"FH8/long", strings.Repeat("A", 5000), []string{`found "` + strings.Repeat("A", 64) + `"...`}, []string{strings.Repeat("A", 65)}},
		{"FH8/many", many, []string{`found ["aud-" "aud-x" "aud-xx" and 47 more]`}, []string{"aud-xxx\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := sign(t, "RS256", rsaKey, hdr("RS256", "k1"), claims(map[string]any{"aud": tt.aud}))
			_, err := v.Verify(context.Background(), tok)
			if !errors.Is(err, verifier.ErrAudience) {
				t.Fatalf("Verify: got %v, want ErrAudience", err)
			}
			msg := err.Error()
			if len(msg) > 600 {
				t.Errorf("message of %d bytes, want at most 600", len(msg))
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("got %q, want it to contain %q", msg, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(msg, w) {
					t.Errorf("got %q, want it not to contain %q", msg, w)
				}
			}
			if strings.Contains(msg, strings.SplitN(tok, ".", 2)[1][:20]) {
				t.Errorf("message %q holds part of the token", msg)
			}
		})
	}
}
