package authtest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// fetch is a JWKS client as a key cache would be: bounded body, timeout.
func fetch(tn *Tenant, timeout time.Duration, limit int64) (status int, h http.Header, body []byte, err error) {
	c := tn.Client()
	c.Timeout = timeout
	res, err := c.Get(tn.JWKSURL())
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	body, err = io.ReadAll(io.LimitReader(res.Body, limit))
	return res.StatusCode, res.Header, body, err
}

func TestJWKSFaults(t *testing.T) {
	for _, tls := range []bool{false, true} {
		t.Run("TLS="+strconv.FormatBool(tls), func(t *testing.T) {
			tn := newTenant(t, Config{TLS: tls})
			cases := []struct {
				fault   Fault
				wantErr bool
				status  int
				check   func(t *testing.T, h http.Header, body []byte)
			}{
				{fault: FaultDown, wantErr: true},
				{fault: FaultServerError, status: 500},
				{fault: FaultRateLimited, status: 429, check: func(t *testing.T, h http.Header, _ []byte) {
					if got := h.Get("Retry-After"); got != "30" {
						t.Errorf("Retry-After: got %q, want 30", got)
					}
				}},
				{fault: FaultGarbage, status: 200, check: func(t *testing.T, _ http.Header, body []byte) {
					if json.Valid(body) {
						t.Errorf("garbage body %q is valid JSON", body)
					}
				}},
				{fault: FaultHugeBody, status: 200, check: func(t *testing.T, h http.Header, body []byte) {
					if len(body) != HugeBodySize || h.Get("Content-Length") != strconv.Itoa(HugeBodySize) {
						t.Errorf("got %d bytes (Content-Length %s), want %d", len(body), h.Get("Content-Length"), HugeBodySize)
					}
					var doc jwksDoc
					if err := json.Unmarshal(body, &doc); err != nil || len(doc.Keys) != 2 {
						t.Errorf("huge body: got %d keys, err %v; want the 2 real keys in valid JSON", len(doc.Keys), err)
					}
				}},
				{fault: FaultNoKeys, status: 200, check: func(t *testing.T, _ http.Header, body []byte) {
					if string(body) != `{"keys":[]}` {
						t.Errorf("got %s, want {\"keys\":[]}", body)
					}
				}},
				{fault: NoFault, status: 200, check: func(t *testing.T, _ http.Header, body []byte) {
					var doc jwksDoc
					if err := json.Unmarshal(body, &doc); err != nil || len(doc.Keys) != 2 {
						t.Errorf("got %s, want the 2 keys", body)
					}
				}},
			}
			for _, c := range cases {
				t.Run(c.fault.String(), func(t *testing.T) {
					tn.SetJWKSFault(c.fault)
					before := tn.JWKSRequests()
					status, h, body, err := fetch(tn, 5*time.Second, 8<<20)
					if c.wantErr {
						if err == nil {
							t.Fatalf("got status %d, want a connection error", status)
						}
					} else {
						if err != nil {
							t.Fatalf("got %v, want status %d", err, c.status)
						}
						if status != c.status {
							t.Fatalf("got status %d, want %d", status, c.status)
						}
						if c.check != nil {
							c.check(t, h, body)
						}
					}
					if got := tn.JWKSRequests() - before; got != 1 {
						t.Errorf("JWKSRequests grew by %d, want 1", got)
					}
				})
			}
		})
	}
}

func TestJWKSHugeBodyIsCutByACap(t *testing.T) {
	tn := newTenant(t, Config{})
	tn.SetJWKSFault(FaultHugeBody)
	_, _, body, err := fetch(tn, 5*time.Second, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if len(body) != 1<<20 || json.Valid(body) {
		t.Errorf("capped read: got %d bytes, valid JSON %v; want 1 MiB of invalid JSON", len(body), json.Valid(body))
	}
}

func TestJWKSDelay(t *testing.T) {
	tn := newTenant(t, Config{})

	tn.SetJWKSDelay(3 * time.Second)
	start := time.Now()
	_, _, _, err := fetch(tn, 200*time.Millisecond, 1<<20)
	if err == nil {
		t.Fatal("slow JWKS with a 200 ms client timeout: got no error")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("client gave up after %v, want about 200 ms", d)
	}

	tn.SetJWKSDelay(150 * time.Millisecond)
	start = time.Now()
	status, _, _, err := fetch(tn, 5*time.Second, 1<<20)
	if err != nil || status != 200 {
		t.Fatalf("got %d %v, want 200", status, err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("answer after %v, want at least 150 ms", d)
	}

	tn.SetJWKSDelay(0)
	if got := tn.JWKSRequests(); got != 2 {
		t.Errorf("JWKSRequests: got %d, want 2", got)
	}
}

func TestCloseEndsDelayedRequests(t *testing.T) {
	tn := newTenant(t, Config{})
	tn.SetJWKSDelay(time.Minute)
	errc := make(chan error, 1)
	go func() {
		_, _, _, err := fetch(tn, time.Minute, 1<<20)
		errc <- err
	}()
	for tn.JWKSRequests() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	tn.Close()
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Close took %v, want it prompt", d)
	}
	select {
	case <-errc: // an empty answer or a closed connection: either way, over
	case <-time.After(5 * time.Second):
		t.Fatal("delayed request still pending 5 s after Close")
	}
}

func TestFaultString(t *testing.T) {
	for f, want := range map[Fault]string{NoFault: "NoFault", FaultDown: "FaultDown", FaultNoKeys: "FaultNoKeys", Fault(42): "Fault(42)", Fault(-1): "Fault(-1)"} {
		if got := f.String(); got != want {
			t.Errorf("Fault(%d).String(): got %q, want %q", int(f), got, want)
		}
	}
}

// TestConcurrentUse exercises every mutable part of a tenant at once; its
// point is go test -race.
func TestConcurrentUse(t *testing.T) {
	tn := newTenant(t, fixtureConfig())
	live, err := verifier.New(verifier.Config{Issuer: tn.Issuer(), Audience: []string{testAPI}, Keys: tn})
	if err != nil {
		t.Fatal(err)
	}
	const workers, rounds = 4, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*3)
	for w := range workers {
		wg.Go(func() {
			for i := range rounds {
				tn.SetJWKSFault(Fault((w + i) % 3))
				tn.SetJWKSDelay(0)
				// The answer depends on which worker set the fault last.
				fetch(tn, 5*time.Second, 8<<20)
				tok := tn.AccessToken("auth0|u", testAPI, "read:items")
				if _, err := live.Verify(context.Background(), tok); err != nil {
					errs <- err
				}
				res, err := tn.Client().PostForm(tn.URL+"/oauth/token", ccForm())
				if err != nil {
					errs <- err
					continue
				}
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					errs <- errors.New("token endpoint: status " + res.Status)
				}
			}
		})
	}
	wg.Go(func() {
		// Old keys stay published, so tokens signed before a rotation
		// still verify.
		for range 2 {
			if _, err := tn.Rotate(); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	tn.SetJWKSFault(NoFault)
	// net/http retries a GET once when a reused connection is dropped
	// (FaultDown), so a fetch counts once or twice.
	if got := tn.JWKSRequests(); got < workers*rounds || got > 2*workers*rounds {
		t.Errorf("JWKSRequests: got %d, want %d to %d", got, workers*rounds, 2*workers*rounds)
	}
	if got := tn.TokenRequests(); got != workers*rounds {
		t.Errorf("TokenRequests: got %d, want %d", got, workers*rounds)
	}
}
