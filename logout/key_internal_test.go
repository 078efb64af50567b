package logout

import "testing"

// TestReplayKeyNoCollision (BL9): crafted (iss, jti) pairs whose
// concatenations are equal get different keys.
func TestReplayKeyNoCollision(t *testing.T) {
	pairs := [][2]string{{"https://a/", "b"}, {"https://a/b", ""}, {"https://a", "/b"}, {"1:x", "y"}, {"1", ":xy"}}
	seen := map[string][2]string{}
	for _, p := range pairs {
		k := replayKey(p[0], p[1])
		if q, dup := seen[k]; dup {
			t.Fatalf("replayKey%q and replayKey%q: same key %q", p, q, k)
		}
		seen[k] = p
	}
}
