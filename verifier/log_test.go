package verifier_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// logRecord is one line of slog's JSON handler.
type logRecord map[string]any

func readLog(t *testing.T, buf *bytes.Buffer) []logRecord {
	t.Helper()
	var out []logRecord
	for line := range strings.SplitSeq(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		var r logRecord
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, r)
	}
	return out
}

// tokenParts lists what of a token must never reach a log: the token and
// each of its three segments.
func tokenParts(tok string) []string {
	out := []string{tok}
	for p := range strings.SplitSeq(tok, ".") {
		if len(p) >= 8 {
			out = append(out, p)
		}
	}
	return out
}

// Config.Logger: refusals at Debug with the reason, claim, alg and the kid
// quoted and cut; successes not at all; never the token (SECURITY.md W5).
func TestLogger(t *testing.T) {
	loadKeys()
	longKid := strings.Repeat("k", 200)
	cases := []struct {
		name    string
		tok     func(testing.TB) string
		reason  string
		claim   string
		alg     string
		kid     string // the logged kid; "" when no kid attribute is expected
		wantLog bool
	}{
		{"valid", rs(claims(nil)), "", "", "", "", false},
		{"expired", rs(claims(map[string]any{"exp": testNow.Add(-time.Hour).Unix()})), "expired", "exp", "RS256", `"k1"`, true},
		{"bad signature", func(t testing.TB) string { return flipLastSigByte(rs(claims(nil))(t)) }, "bad_signature", "signature", "RS256", `"k1"`, true},
		{"unknown kid", signed("RS256", rsaPriv, hdr("RS256", "nope"), claims(nil)), "unknown_kid", "kid", "RS256", `"nope"`, true},
		{"long unknown kid", signed("RS256", rsaPriv, hdr("RS256", longKid), claims(nil)), "unknown_kid", "kid", "RS256", `"` + strings.Repeat("k", 64) + `"...`, true},
		// A kid with control characters is refused by the header parser
		// and never kept: no kid attribute, and no raw escape in the log.
		{"hostile kid", signed("RS256", rsaPriv, hdr("RS256", "k1\n\x1b[31m"), claims(nil)), "malformed", "kid", "", "", true},
		{"wrong audience", rs(claims(map[string]any{"aud": "other"})), "bad_audience", "aud", "RS256", `"k1"`, true},
		{"garbage", raw("not.a.token"), "malformed", "", "", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			v := newVerifier(t, verifier.Config{Logger: log})
			tok := c.tok(t)
			_, err := v.Verify(context.Background(), tok)
			recs := readLog(t, &buf)
			if !c.wantLog {
				if err != nil || len(recs) != 0 {
					t.Fatalf("got error %v and %d log lines, want success and none", err, len(recs))
				}
				return
			}
			if len(recs) != 1 {
				t.Fatalf("got %d log lines, want 1: %s", len(recs), buf.String())
			}
			r := recs[0]
			if r["level"] != "DEBUG" || r["msg"] != "verifier: token refused" {
				t.Errorf("got level %v msg %v, want DEBUG \"verifier: token refused\"", r["level"], r["msg"])
			}
			if c.reason != "" && r["reason"] != c.reason {
				t.Errorf("got reason %v, want %s", r["reason"], c.reason)
			}
			if r["reason"] != verifier.Reason(err) {
				t.Errorf("got reason %v, want Reason(err) %s", r["reason"], verifier.Reason(err))
			}
			if c.claim != "" && r["claim"] != c.claim {
				t.Errorf("got claim %v, want %s", r["claim"], c.claim)
			}
			if c.alg != "" && r["alg"] != c.alg {
				t.Errorf("got alg %v, want %s", r["alg"], c.alg)
			}
			if got, ok := r["kid"]; c.kid != "" && got != c.kid || c.kid == "" && ok {
				t.Errorf("got kid %v, want %s", got, c.kid)
			}
			if r["error"] != err.Error() {
				t.Errorf("got error %v, want %q", r["error"], err.Error())
			}
			for _, p := range tokenParts(tok) {
				if strings.Contains(buf.String(), p) {
					t.Errorf("the log holds a token segment %.20q...: %s", p, buf.String())
				}
			}
			if strings.ContainsAny(buf.String(), "\x1b") {
				t.Errorf("the log holds a raw escape character: %q", buf.String())
			}
		})
	}

	t.Run("cache hit refused by an option", func(t *testing.T) {
		var buf bytes.Buffer
		log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		v := newVerifier(t, verifier.Config{Logger: log})
		tok := rs(claims(map[string]any{"org_id": "org_a"}))(t)
		if _, err := v.Verify(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
		_, err := v.Verify(context.Background(), tok, verifier.WithOrganization("org_b"))
		recs := readLog(t, &buf)
		if len(recs) != 1 || recs[0]["reason"] != "bad_organization" || recs[0]["cache_hit"] != true {
			t.Fatalf("got %v (error %v), want one line with reason bad_organization and cache_hit true", recs, err)
		}
	})

	t.Run("Info level logs nothing", func(t *testing.T) {
		var buf bytes.Buffer
		v := newVerifier(t, verifier.Config{Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
		if _, err := v.Verify(context.Background(), "garbage"); err == nil {
			t.Fatal("got nil error, want malformed")
		}
		if buf.Len() != 0 {
			t.Errorf("got %q, want no output above Debug", buf.String())
		}
	})
}
