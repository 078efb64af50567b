package grpcauth_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/grpcauth"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
	"github.com/tokengate/tokengate/verifier"
)

const (
	audience = "https://api.example.com"
	checkM   = "/grpc.health.v1.Health/Check"
	watchM   = "/grpc.health.v1.Health/Watch"
	echoM    = "/test.Echo/Echo"
	chatM    = "/test.Echo/Chat"
	greetM   = "/test.Echo/Greet"
	eatM     = "/test.Echo/Swallow"
)

var (
	tenantOnce sync.Once
	tenant     *authtest.Tenant
)

// theTenant is one local tenant for the whole test binary: real keys.
func theTenant(t testing.TB) *authtest.Tenant {
	t.Helper()
	tenantOnce.Do(func() {
		var err error
		if tenant, err = authtest.NewTenant(authtest.Config{}); err != nil {
			panic(err)
		}
	})
	return tenant
}

func newVerifier(t testing.TB, keys verifier.KeySource) *verifier.Verifier {
	t.Helper()
	tn := theTenant(t)
	if keys == nil {
		keys = tn
	}
	v, err := verifier.New(verifier.Config{Issuer: tn.Issuer(), Audience: []string{audience}, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// token mints a valid access token for the API with the claims over.
func token(t testing.TB, over map[string]any) string {
	t.Helper()
	c := map[string]any{"sub": "auth0|alice", "aud": audience, "scope": "read:items"}
	for k, v := range over {
		c[k] = v
	}
	s, err := theTenant(t).Mint(authtest.Token{Claims: c})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// echoServer is the test service test.Echo, registered by hand (no
// generated code): Echo (unary), Chat (bidi: answers each message) and
// Greet (bidi: sends before it receives) and Swallow (bidi: ignores the
// error of its one RecvMsg and returns nil). Requests and answers are the
// health messages. Each handler puts what it saw in its trailer: x-sub
// (the claims' subject, or "anonymous") and x-org (orgs.Checked's value).
type echoServer struct{}

func seen(ctx context.Context) metadata.MD {
	sub := "anonymous"
	if c, ok := middleware.ClaimsFromContext(ctx); ok {
		sub = c.Subject
	}
	md := metadata.Pairs("x-sub", sub)
	if o, ok := orgs.Checked(ctx); ok {
		md.Set("x-org", o.Value)
	}
	return md
}

var echoDesc = grpc.ServiceDesc{
	ServiceName: "test.Echo",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Echo",
		Handler: func(srv any, ctx context.Context, dec func(any) error, ic grpc.UnaryServerInterceptor) (any, error) {
			in := new(healthpb.HealthCheckRequest)
			if err := dec(in); err != nil {
				return nil, err
			}
			h := func(ctx context.Context, req any) (any, error) {
				grpc.SetTrailer(ctx, seen(ctx))
				return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
			}
			if ic == nil {
				return h(ctx, in)
			}
			return ic(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: echoM}, h)
		},
	}},
	Streams: []grpc.StreamDesc{
		{StreamName: "Chat", ServerStreams: true, ClientStreams: true, Handler: func(srv any, ss grpc.ServerStream) error {
			for {
				in := new(healthpb.HealthCheckRequest)
				if err := ss.RecvMsg(in); err != nil {
					ss.SetTrailer(seen(ss.Context()))
					if err.Error() == "EOF" {
						return nil
					}
					return err
				}
				if err := ss.SendMsg(&healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}); err != nil {
					return err
				}
			}
		}},
		{StreamName: "Greet", ServerStreams: true, ClientStreams: true, Handler: func(srv any, ss grpc.ServerStream) error {
			err := ss.SendMsg(&healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING})
			ss.SetTrailer(metadata.Pairs("x-send", status.Code(err).String()))
			return nil // a handler that ignores the refusal
		}},
		{StreamName: "Swallow", ServerStreams: true, ClientStreams: true, Handler: func(srv any, ss grpc.ServerStream) error {
			_ = ss.RecvMsg(new(healthpb.HealthCheckRequest))
			return nil // a handler that swallows RecvMsg's error
		}},
	},
}

// serve starts a gRPC server on a loopback TCP port with the interceptors
// of cfg, the health service and test.Echo, and returns a client
// connection to it. opts are added server options.
func serve(t testing.TB, cfg grpcauth.Config, opts ...grpc.ServerOption) *grpc.ClientConn {
	t.Helper()
	ic, err := grpcauth.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer(append(ic.ServerOptions(), opts...)...)
	hs := health.NewServer()
	hs.SetServingStatus("items", healthpb.HealthCheckResponse_SERVING)
	hs.SetServingStatus("org_acme", healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(srv, hs)
	srv.RegisterService(&echoDesc, echoServer{})
	go srv.Serve(lis)
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// result is what a client saw of one call.
type result struct {
	code    codes.Code
	msg     string
	trailer metadata.MD
	header  metadata.MD
}

func (r result) challenge() string { return strings.Join(r.trailer.Get("www-authenticate"), "|") }

// withMD returns a context carrying the outgoing metadata pairs.
func withMD(t testing.TB, kv ...string) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return metadata.NewOutgoingContext(ctx, metadata.Pairs(kv...))
}

// unary calls method (Check or Echo) with the request and metadata pairs.
func unary(t testing.TB, conn *grpc.ClientConn, method string, req *healthpb.HealthCheckRequest, kv ...string) result {
	t.Helper()
	var r result
	out := new(healthpb.HealthCheckResponse)
	err := conn.Invoke(withMD(t, kv...), method, req, out, grpc.Trailer(&r.trailer), grpc.Header(&r.header))
	st := status.Convert(err)
	r.code, r.msg = st.Code(), st.Message()
	return r
}

func bearer(tok string) []string { return []string{"authorization", "Bearer " + tok} }

// chat opens a bidi stream of method (Chat or Greet), sends msgs, closes
// its side and reads every answer.
func chat(t testing.TB, conn *grpc.ClientConn, method string, msgs []*healthpb.HealthCheckRequest, kv ...string) result {
	t.Helper()
	desc := &grpc.StreamDesc{ServerStreams: true, ClientStreams: true}
	return stream(t, conn, desc, method, msgs, kv...)
}

// watch calls the health service's Watch (server-streaming) and reads one
// answer, then cancels: Watch never ends on its own.
func watch(t testing.TB, conn *grpc.ClientConn, req *healthpb.HealthCheckRequest, kv ...string) result {
	t.Helper()
	ctx, cancel := context.WithCancel(withMD(t, kv...))
	defer cancel()
	var r result
	cs, err := conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true}, watchM)
	if err == nil {
		if err = cs.SendMsg(req); err == nil {
			cs.CloseSend()
			err = cs.RecvMsg(new(healthpb.HealthCheckResponse))
		}
	}
	if err == nil {
		r.header, _ = cs.Header()
		return r // OK: one answer came; the stream is canceled
	}
	st := status.Convert(err)
	r.code, r.msg = st.Code(), st.Message()
	r.trailer = cs.Trailer()
	return r
}

func stream(t testing.TB, conn *grpc.ClientConn, desc *grpc.StreamDesc, method string, msgs []*healthpb.HealthCheckRequest, kv ...string) result {
	t.Helper()
	var r result
	cs, err := conn.NewStream(withMD(t, kv...), desc, method)
	if err == nil {
		for _, m := range msgs {
			if err = cs.SendMsg(m); err != nil {
				break
			}
		}
		if err == io.EOF {
			// The server ended the stream (a refusal): SendMsg says only
			// EOF, RecvMsg returns the status.
			err = nil
		}
		cs.CloseSend()
		for err == nil {
			err = cs.RecvMsg(new(healthpb.HealthCheckResponse))
		}
		if err.Error() == "EOF" {
			err = nil
		}
	}
	st := status.Convert(err)
	r.code, r.msg = st.Code(), st.Message()
	if cs != nil {
		r.trailer = cs.Trailer()
		r.header, _ = cs.Header()
	}
	return r
}

// events collects middleware Events.
type events struct {
	mu sync.Mutex
	ev []middleware.Event
}

// ObserveRequest records ev with its timing and method checked and then
// cleared, so that tests compare what differs between calls.
func (e *events) ObserveRequest(ctx context.Context, ev middleware.Event) {
	ev.Start, ev.Duration, ev.Method = checkTiming(ctx, ev.Start, ev.Duration, ev.Method)
	e.mu.Lock()
	e.ev = append(e.ev, ev)
	e.mu.Unlock()
}

func (e *events) take() []middleware.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.ev
	e.ev = nil
	return out
}

// orgEvents collects orgs Events.
type orgEvents struct {
	mu sync.Mutex
	ev []orgs.Event
}

// ObserveOrg records ev as events.ObserveRequest does.
func (e *orgEvents) ObserveOrg(ctx context.Context, ev orgs.Event) {
	ev.Start, ev.Duration, ev.Method = checkTiming(ctx, ev.Start, ev.Duration, ev.Method)
	e.mu.Lock()
	e.ev = append(e.ev, ev)
	e.mu.Unlock()
}

func (e *orgEvents) take() []orgs.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.ev
	e.ev = nil
	return out
}

// checkTiming panics (failing the test through the server's answer and
// the missing event) unless an event has the call's context, a start in
// the last minute, a duration that is not negative and the method POST; it
// returns the zero values to record instead.
func checkTiming(ctx context.Context, start time.Time, d time.Duration, method string) (time.Time, time.Duration, string) {
	if ctx == nil || start.IsZero() || time.Since(start) > time.Minute || d < 0 || method != "POST" {
		panic(fmt.Sprintf("event: ctx %v, start %v, duration %v, method %q", ctx != nil, start, d, method))
	}
	return time.Time{}, 0, ""
}
