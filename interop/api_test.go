package interop

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// api is an httptest server protected by middleware.Authenticate with one
// verifier, as an API using tokengate would be:
//
//	GET /things  RequireScopes("read:things")   (the provider grants it)
//	GET /admin   RequireScopes("write:things")  (the provider does not)
//
// The handlers answer with the verified claims they got from the context.
// The middleware's Observer hands each request's Event to the test, whose
// Reason label (verifier.Reason) tells why a 401 was written; the response
// itself deliberately does not.
type api struct {
	srv    *httptest.Server
	events chan middleware.Event
}

// apiClaims is what the handlers answer.
type apiClaims struct {
	Subject  string   `json:"sub"`
	ClientID string   `json:"client_id"`
	OrgID    string   `json:"org_id"`
	Audience []string `json:"aud"`
	Scope    []string `json:"scope"`
}

func newAPI(t *testing.T, v *verifier.Verifier, opts ...middleware.Option) *api {
	t.Helper()
	a := &api{events: make(chan middleware.Event, 64)}
	claims := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := middleware.ClaimsFromContext(r.Context())
		if !ok {
			http.Error(w, "no claims on the context", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(apiClaims{c.Subject, c.ClientID, c.OrgID, c.Audience, c.Scope})
	})
	mux := http.NewServeMux()
	mux.Handle("GET /things", middleware.RequireScopes("read:things")(claims))
	mux.Handle("GET /admin", middleware.RequireScopes("write:things")(claims))
	opts = append(opts, middleware.WithObserver(middleware.ObserverFunc(func(_ context.Context, e middleware.Event) {
		select {
		case a.events <- e:
		default: // a test that sends more than 64 requests without reading events
		}
	})))
	a.srv = httptest.NewServer(middleware.Authenticate(v, opts...)(mux))
	t.Cleanup(a.srv.Close)
	return a
}

// apiResponse is one answer of the API with the middleware's Event for it.
type apiResponse struct {
	status  int
	wwwAuth string
	claims  apiClaims // when status is 200
	errCode string    // the JSON "error" of a refusal
	event   middleware.Event
}

// get calls path with the bearer token and waits for the request's Event
// (the observer runs after the response is written, so it may come after
// the client has the answer).
func (a *api) get(t *testing.T, path, token string) apiResponse {
	t.Helper()
	r := a.do(t, path, token)
	r.event = a.event(t)
	return r
}

// event waits for the next request's Event.
func (a *api) event(t *testing.T) middleware.Event {
	t.Helper()
	select {
	case e := <-a.events:
		return e
	case <-time.After(requestTimeout):
		t.Fatal("no middleware event")
	}
	return middleware.Event{}
}

// do calls path with the bearer token; the request's Event stays in
// a.events. It may run on several goroutines at once.
func (a *api) do(t *testing.T, path, token string) apiResponse {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.srv.URL+path, nil)
	if err != nil {
		t.Error(err)
		return apiResponse{}
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := a.srv.Client().Do(req)
	if err != nil {
		t.Errorf("GET %s: %v", path, err)
		return apiResponse{}
	}
	// Not readBody: do must not call t.Fatal off the test's goroutine.
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
	if err != nil {
		t.Errorf("GET %s: reading the body: %v", path, err)
		return apiResponse{}
	}
	r := apiResponse{status: resp.StatusCode, wwwAuth: resp.Header.Get("WWW-Authenticate")}
	if r.status == http.StatusOK {
		if err := json.Unmarshal(body, &r.claims); err != nil {
			t.Errorf("GET %s: body %q: %v", path, body, err)
		}
	} else {
		var e struct {
			Error string `json:"error"`
		}
		if err := json.Unmarshal(body, &e); err != nil {
			t.Errorf("GET %s: status %d, body %q: %v", path, r.status, body, err)
		}
		r.errCode = e.Error
	}
	return r
}

// wantOK checks a 200 from /things carrying the token's claims.
func (r apiResponse) wantOK(t *testing.T, what string) {
	t.Helper()
	if r.status != http.StatusOK || r.event.Outcome != middleware.OutcomeOK {
		t.Fatalf("%s: got status %d (outcome %q, reason %q), want 200 (ok)", what, r.status, r.event.Outcome, r.event.Reason)
	}
}

// wantInvalidToken checks the RFC 6750 refusal of a token that does not
// verify, and that the middleware saw the verifier error want.
func (r apiResponse) wantInvalidToken(t *testing.T, what string, want error) {
	t.Helper()
	if r.status != http.StatusUnauthorized {
		t.Fatalf("%s: got status %d, want 401", what, r.status)
	}
	if !strings.Contains(r.wwwAuth, `error="invalid_token"`) || r.errCode != "invalid_token" {
		t.Errorf("%s: got WWW-Authenticate %q and error %q, want invalid_token in both", what, r.wwwAuth, r.errCode)
	}
	if got, w := r.event.Reason, verifier.Reason(want); got != w {
		t.Errorf("%s: got reason %q, want %q", what, got, w)
	}
}

// tokenHeader is the protected header of a compact JWS, decoded for
// assertions and logs only (the verifier never trusts it).
type tokenHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	Typ string `json:"typ"`
}

func header(t *testing.T, token string) tokenHeader {
	t.Helper()
	h, _, _ := strings.Cut(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(h)
	if err != nil {
		t.Fatalf("token header: %v", err)
	}
	var hdr tokenHeader
	if err := json.Unmarshal(raw, &hdr); err != nil {
		t.Fatalf("token header: %v", err)
	}
	return hdr
}

// logToken logs what identifies a token (never the token itself).
func logToken(t *testing.T, what, token string, c *verifier.Claims) {
	t.Helper()
	h := header(t, token)
	if c == nil {
		t.Logf("%s: alg=%s kid=%s typ=%s", what, h.Alg, h.Kid, h.Typ)
		return
	}
	t.Logf("%s: alg=%s kid=%s typ=%s iss=%s aud=%q sub=%s org_id=%s scope=%q lifetime=%v",
		what, h.Alg, h.Kid, h.Typ, c.Issuer, c.Audience, c.Subject, c.OrgID, c.Scope, c.ExpiresAt.Sub(c.IssuedAt))
}
