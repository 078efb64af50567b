package jwks_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/tokengate/tokengate/jwks"
)

// TestConfigNow: the Cache's schedule runs on Config.Now, the one clock
// style of tokengate (a Now func() time.Time field, no Clock interface): the
// first fetch is stamped with it, the next refresh is due on it, and keys
// expire by it (MaxStale) whatever the system clock says.
func TestConfigNow(t *testing.T) {
	srv := newJWKSServer(t, oneKeyDoc())
	clk := newFakeClock()
	c, err := jwks.New(jwks.Config{URL: srv.URL, Now: clk.Now, Prefetch: 5 * time.Second, MaxStale: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	st := c.Stats()
	if !st.LastSuccess.Equal(testNow) || !st.LastAttempt.Equal(testNow) {
		t.Errorf("first fetch: got LastSuccess %v, LastAttempt %v; want both at Now, %v", st.LastSuccess, st.LastAttempt, testNow)
	}
	if want := testNow.Add(8 * time.Minute); !st.NextRefresh.Equal(want) {
		t.Errorf("next refresh: got %v, want %v (80%% of the default 10 min, on Now)", st.NextRefresh, want)
	}
	if _, err := lookup(c, "k1", "RS256"); err != nil {
		t.Fatalf("k1 within MaxStale: %v", err)
	}
	srv.set(http.StatusInternalServerError, "")
	clk.Advance(time.Hour)
	if _, err := lookup(c, "k1", "RS256"); err == nil {
		t.Fatal("k1 an hour later on Now: got a key, want the keys expired (MaxStale)")
	}
}
