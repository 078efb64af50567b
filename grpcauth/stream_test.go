package grpcauth_test

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/test/bufconn"

	"github.com/tokengate/tokengate/grpcauth"
	"github.com/tokengate/tokengate/middleware"
)

// TestGR8Streams: streams get Unary's behaviour: refused before the
// handler runs, or run with the claims on the stream's context; an
// organization read from the first message is checked before the handler
// sees it, nothing is sent before that, and a refused stream ends with the
// refusal even when its handler returns nil.
func TestGR8Streams(t *testing.T) {
	conn := serve(t, grpcauth.Config{
		Verifier: newVerifier(t, nil),
		Methods: map[string]grpcauth.Rule{
			chatM:  {Organization: &grpcauth.Organization{FromMessage: serviceOrg}},
			greetM: {Organization: &grpcauth.Organization{FromMessage: serviceOrg}},
			eatM:   {Organization: &grpcauth.Organization{FromMessage: serviceOrg}},
		},
	})
	acme := token(t, map[string]any{"org_id": "org_acme"})
	other := token(t, map[string]any{"org_id": "org_other"})
	msgs := func(svc ...string) []*healthpb.HealthCheckRequest {
		var out []*healthpb.HealthCheckRequest
		for _, s := range svc {
			out = append(out, &healthpb.HealthCheckRequest{Service: s})
		}
		return out
	}

	t.Run("GR8/watch-no-token", func(t *testing.T) {
		r := watch(t, conn, &healthpb.HealthCheckRequest{Service: "items"})
		checkResult(t, r, expect{codes.Unauthenticated, msgMissing, chMissing})
	})
	t.Run("GR8/watch-ok", func(t *testing.T) {
		r := watch(t, conn, &healthpb.HealthCheckRequest{Service: "items"}, bearer(acme)...)
		checkResult(t, r, expect{codes.OK, "", ""})
	})
	t.Run("GR8/chat-claims-and-org", func(t *testing.T) {
		r := chat(t, conn, chatM, msgs("org_acme", "ignored-after-the-first"), bearer(acme)...)
		checkResult(t, r, expect{codes.OK, "", ""})
		if got := r.trailer.Get("x-sub"); len(got) != 1 || got[0] != "auth0|alice" {
			t.Errorf("claims in the stream handler: got %q, want [auth0|alice]", got)
		}
		if got := r.trailer.Get("x-org"); len(got) != 1 || got[0] != "org_acme" {
			t.Errorf("orgs.Checked in the stream handler: got %q, want [org_acme]", got)
		}
	})
	t.Run("GR8/chat-other-org", func(t *testing.T) {
		r := chat(t, conn, chatM, msgs("org_acme"), bearer(other)...)
		checkResult(t, r, expect{codes.PermissionDenied, msgOrgDenied, ""})
	})
	t.Run("GR8/chat-no-message", func(t *testing.T) {
		// The handler gets EOF before any message: it returns nil, having
		// sent nothing; the organization was never named.
		r := chat(t, conn, chatM, nil, bearer(acme)...)
		if r.code != codes.OK {
			t.Errorf("got %v %q, want OK (nothing received, nothing sent)", r.code, r.msg)
		}
	})
	t.Run("GR8/send-before-check", func(t *testing.T) {
		r := chat(t, conn, greetM, msgs("org_acme"), bearer(acme)...)
		if got := r.trailer.Get("x-send"); len(got) != 1 || got[0] != codes.PermissionDenied.String() {
			t.Errorf("SendMsg before the organization was checked: got %q, want [PermissionDenied]", got)
		}
	})
	t.Run("GR8/refusal-wins-over-handler", func(t *testing.T) {
		// Swallow ignores the refusal RecvMsg returned and returns nil:
		// the client still sees the refusal.
		r := chat(t, conn, eatM, msgs("org_acme"), bearer(other)...)
		checkResult(t, r, expect{codes.PermissionDenied, msgOrgDenied, ""})
		r = chat(t, conn, eatM, msgs("org_acme"), bearer(acme)...)
		checkResult(t, r, expect{codes.OK, "", ""})
	})
}

// TestGR9Reports: one middleware.Event per call, with the HTTP status of
// the same refusal and the full method as route; org checks to the
// OrgObserver; one log line per refused call at the HTTP level, never the
// token; a panicking observer does not change the answer.
func TestGR9Reports(t *testing.T) {
	var ev events
	var oev orgEvents
	var logs bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	conn := serve(t, grpcauth.Config{
		Verifier: newVerifier(t, nil),
		Methods: map[string]grpcauth.Rule{
			echoM:  {Scopes: []string{"admin"}},
			checkM: {Organization: &grpcauth.Organization{FromMessage: serviceOrg}},
		},
		Observer: &ev, OrgObserver: &oev, Logger: logger,
	})
	good := token(t, nil)
	bad := token(t, map[string]any{"aud": "https://other.example.com"})
	unary(t, conn, checkM, &healthpb.HealthCheckRequest{Service: "org_acme"}, bearer(good)...)
	unary(t, conn, echoM, &healthpb.HealthCheckRequest{}, bearer(good)...)
	unary(t, conn, echoM, &healthpb.HealthCheckRequest{}, bearer(bad)...)
	unary(t, conn, echoM, &healthpb.HealthCheckRequest{})
	chat(t, conn, chatM, []*healthpb.HealthCheckRequest{{}}, bearer(good)...)
	want := []middleware.Event{
		{Outcome: "org_denied", Status: 403, Route: checkM},
		{Outcome: "insufficient_scope", Status: 403, Route: echoM},
		{Outcome: "invalid_token", Reason: "bad_audience", Status: 401, Route: echoM},
		{Outcome: "missing_token", Status: 401, Route: echoM},
		{Outcome: "ok", Reason: "ok", Route: chatM},
	}
	got := ev.take()
	if len(got) != len(want) {
		t.Fatalf("events: got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if o := oev.take(); len(o) != 1 || o[0].Outcome != "org_denied" || o[0].Status != 403 || o[0].Route != checkM {
		t.Errorf("org events: got %+v, want one org_denied 403 on %s", o, checkM)
	}
	mu.Lock()
	text := logs.String()
	mu.Unlock()
	for _, w := range []string{
		`level=INFO msg="grpcauth: call refused" method=POST route=` + checkM + ` outcome=org_denied status=403 code=PermissionDenied`,
		`level=INFO msg="grpcauth: call refused" method=POST route=` + echoM + ` outcome=insufficient_scope status=403`,
		`level=INFO msg="grpcauth: call refused" method=POST route=` + echoM + ` outcome=invalid_token status=401 code=Unauthenticated reason=bad_audience error=`,
		`level=DEBUG msg="grpcauth: call refused" method=POST route=` + echoM + ` outcome=missing_token status=401 code=Unauthenticated`,
	} {
		if !strings.Contains(text, w) {
			t.Errorf("log: want a line containing %q; got\n%s", w, text)
		}
	}
	for _, s := range []string{good, bad, good[len(good)-20:], bad[len(bad)-20:]} {
		if strings.Contains(text, s) {
			t.Errorf("log holds (part of) a token")
		}
	}
	if n := strings.Count(text, "call refused"); n != 4 {
		t.Errorf("log lines: got %d, want 4 (one per refused call, none for passes)", n)
	}

	// A panicking observer: the call keeps its answer.
	conn = serve(t, grpcauth.Config{Verifier: newVerifier(t, nil),
		Observer: middleware.ObserverFunc(func(context.Context, middleware.Event) { panic("observer bug") })})
	if r := unary(t, conn, echoM, &healthpb.HealthCheckRequest{}, bearer(good)...); r.code != codes.OK {
		t.Errorf("panicking observer, good token: got %v, want OK", r.code)
	}
	if r := unary(t, conn, echoM, &healthpb.HealthCheckRequest{}); r.code != codes.Unauthenticated {
		t.Errorf("panicking observer, no token: got %v, want Unauthenticated", r.code)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// TestGR11Concurrent: many goroutines, good and bad tokens, unary and
// streams, through one server (run with -race): every call gets its own
// answer, the claims of its own token.
func TestGR11Concurrent(t *testing.T) {
	conn := serve(t, grpcauth.Config{Verifier: newVerifier(t, nil), Methods: map[string]grpcauth.Rule{echoM: {Scopes: []string{"read:items"}}}})
	const workers, calls = 16, 20
	toks := make([]string, workers)
	for i := range toks {
		toks[i] = token(t, map[string]any{"sub": "auth0|user" + string(rune('a'+i))})
	}
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range calls {
				switch j % 3 {
				case 0:
					r := unary(t, conn, echoM, &healthpb.HealthCheckRequest{}, bearer(toks[i])...)
					if r.code != codes.OK || r.trailer.Get("x-sub")[0] != "auth0|user"+string(rune('a'+i)) {
						t.Errorf("worker %d: got %v %q, want OK with its own subject", i, r.code, r.trailer.Get("x-sub"))
					}
				case 1:
					if r := unary(t, conn, echoM, &healthpb.HealthCheckRequest{}, bearer(toks[i]+"x")...); r.code != codes.Unauthenticated {
						t.Errorf("worker %d, bad token: got %v, want Unauthenticated", i, r.code)
					}
				default:
					r := chat(t, conn, chatM, []*healthpb.HealthCheckRequest{{}, {}}, bearer(toks[i])...)
					if r.code != codes.OK || r.trailer.Get("x-sub")[0] != "auth0|user"+string(rune('a'+i)) {
						t.Errorf("worker %d, stream: got %v %q, want OK with its own subject", i, r.code, r.trailer.Get("x-sub"))
					}
				}
			}
		}()
	}
	wg.Wait()
}

// TestBufconn: the same interceptors over an in-memory connection (the
// second layer; the tests above use loopback TCP).
func TestBufconn(t *testing.T) {
	ic, err := grpcauth.New(grpcauth.Config{Verifier: newVerifier(t, nil)})
	if err != nil {
		t.Fatal(err)
	}
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer(ic.ServerOptions()...)
	srv.RegisterService(&echoDesc, echoServer{})
	go srv.Serve(lis)
	defer srv.Stop()
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	checkResult(t, unary(t, conn, echoM, &healthpb.HealthCheckRequest{}), expect{codes.Unauthenticated, msgMissing, chMissing})
	checkResult(t, unary(t, conn, echoM, &healthpb.HealthCheckRequest{}, bearer(token(t, nil))...), expect{codes.OK, "", ""})
	checkResult(t, chat(t, conn, chatM, []*healthpb.HealthCheckRequest{{}}, bearer(token(t, nil))...), expect{codes.OK, "", ""})
}
