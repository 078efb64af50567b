package jwks_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/jwks"
	"github.com/tokengate/tokengate/verifier"
)

// syncBuffer is a bytes.Buffer safe for the cache's goroutines.
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

// Config.Logger: a success at Debug, dropped keys at Warn as security
// events, a failure at Warn; never key material.
func TestLoggerLevels(t *testing.T) {
	loadKeys()
	secretD := b64(rsaKey2.D.Bytes())
	encN := b64(rsaKey2.N.Bytes())
	leaked := with(rsaJWK("leaky", &rsaKey2.PublicKey), "d", secretD)
	enc := with(rsaJWK("enc1", &rsaKey2.PublicKey), "use", "enc")
	srv := newJWKSServer(t, doc(rsaJWK("k1", &rsaKey.PublicKey), leaked, enc))
	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	clock := newFakeClock()
	c := newCache(t, srv.URL, clock, func(cfg *jwks.Config) { cfg.Logger = logger })

	srv.set(http.StatusInternalServerError, `{"error":"down"}`)
	clock.Advance(jwks.DefaultCooldown + time.Second)
	if _, err := lookup(c, "unknown", "RS256"); !errors.Is(err, verifier.ErrKeyNotFound) {
		t.Fatalf("lookup during the outage: got %v, want ErrKeyNotFound (last good keys kept)", err)
	}

	type line struct {
		Level, Msg, Outcome, Kid, Reason string
		Keys, Status                     int
		Private                          bool
	}
	var got []line
	for s := range strings.SplitSeq(strings.TrimSpace(buf.String()), "\n") {
		var l line
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			t.Fatalf("log line %q: %v", s, err)
		}
		got = append(got, l)
	}
	want := []struct {
		level, msgPrefix string
		check            func(line) bool
	}{
		{"DEBUG", "jwks: keys fetched", func(l line) bool { return l.Outcome == jwks.OutcomeOK && l.Keys == 1 && l.Status == 200 }},
		{"WARN", "jwks: key with private members skipped (security event", func(l line) bool { return l.Kid == `"leaky"` && l.Private }},
		{"WARN", "jwks: key skipped (security event", func(l line) bool { return l.Kid == `"enc1"` && !l.Private && l.Reason != "" }},
		{"WARN", "jwks: fetch failed", func(l line) bool { return l.Outcome == jwks.OutcomeHTTPError && l.Status == 500 }},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d log lines, want %d:\n%s", len(got), len(want), buf.String())
	}
	for i, w := range want {
		g := got[i]
		if g.Level != w.level || !strings.HasPrefix(g.Msg, w.msgPrefix) || !w.check(g) {
			t.Errorf("line %d: got %+v, want level %s, message %q...", i, g, w.level, w.msgPrefix)
		}
	}
	out := buf.String()
	for name, material := range map[string]string{"d": secretD, "n": encN[:40]} {
		if strings.Contains(out, material) {
			t.Errorf("the log holds the key's %s", name)
		}
	}
}
