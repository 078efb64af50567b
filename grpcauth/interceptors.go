package grpcauth

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"google.golang.org/grpc"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
	"github.com/tokengate/tokengate/verifier"
)

// Interceptors authenticate the calls of one gRPC server. Build them once
// with New and install both (ServerOptions does): a server with only the
// unary one lets streams through unchecked. They are safe for concurrent
// use.
type Interceptors struct {
	v          *verifier.Verifier
	verifyOpts []verifier.Option
	rules      map[string]*rule
	exempt     map[string]bool
	members    *orgs.Members // nil without Config.Membership
	dp         *dpopConfig   // nil without DPoP
	answers    answers
	retryMs    string // grpc-retry-pushback-ms of Unavailable answers

	observer    middleware.Observer
	orgObserver orgs.Observer
	logger      *slog.Logger
}

// rule is a Rule, built: the scope checks and the challenge suffix of its
// refusal.
type rule struct {
	scopes, perms, either []string
	scopeRefusal          *refusal // insufficient_scope, with the rule's scope attribute
	org                   *Organization
	member                bool
	stepUp                *middleware.StepUp // nil: none
}

// New checks cfg and returns the interceptors it describes.
func New(cfg Config) (*Interceptors, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	ic := &Interceptors{
		v:           cfg.Verifier,
		verifyOpts:  append([]verifier.Option(nil), cfg.VerifyOptions...),
		rules:       make(map[string]*rule, len(cfg.Methods)),
		exempt:      make(map[string]bool, len(cfg.Exempt)),
		observer:    cfg.Observer,
		orgObserver: cfg.OrgObserver,
		logger:      cfg.Logger,
	}
	for _, m := range cfg.Exempt {
		ic.exempt[m] = true
	}
	realm := cfg.Realm
	if realm == "" {
		realm = defaultRealm
	}
	params := `realm="` + realm + `"`
	if cfg.ResourceMetadata != "" {
		params += `, resource_metadata="` + cfg.ResourceMetadata + `"`
	}
	retry := cfg.RetryAfter
	if retry == 0 {
		retry = defaultRetryAfter
	}
	ic.retryMs = formatMillis(retry)
	if cfg.DPoP != nil {
		ic.dp = newDPoPConfig(&cfg)
	}
	ic.answers = newAnswers(params, ic.dp, cfg.UniformErrors)
	for m, r := range cfg.Methods {
		br := &rule{
			scopes: clone(r.Scopes), perms: clone(r.Permissions), either: clone(r.ScopesOrPermissions),
			member: r.Member,
		}
		if all := append(append(clone(r.Scopes), r.Permissions...), r.ScopesOrPermissions...); len(all) > 0 {
			br.scopeRefusal = ic.answers.scope(strings.Join(all, " "))
		}
		if len(r.StepUp) > 0 {
			br.stepUp, _ = middleware.NewStepUp(r.StepUp...) // checked by cfg.check
		}
		if r.Organization != nil {
			o := *r.Organization
			o.Allow = clone(o.Allow)
			br.org = &o
		}
		ic.rules[m] = br
	}
	if cfg.Membership != nil {
		ic.members = orgs.NewMembers(cfg.Membership, cfg.MembershipOptions...)
	}
	return ic, nil
}

func clone(s []string) []string { return append([]string(nil), s...) }

// ServerOptions returns the options that install both interceptors, each
// chained after those already given (grpc.ChainUnaryInterceptor,
// grpc.ChainStreamInterceptor): put them first to authenticate before
// other interceptors run.
func (ic *Interceptors) ServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{grpc.ChainUnaryInterceptor(ic.Unary()), grpc.ChainStreamInterceptor(ic.Stream())}
}

// Unary returns the unary server interceptor. A call that does not get
// through is answered with the refusal's status and never reaches the
// handler; one that does reaches it with the claims on its context
// (middleware.ClaimsFromContext) and, with an Organization rule, the
// organization checked (orgs.Checked).
func (ic *Interceptors) Unary() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		method := info.FullMethod
		if ic.exempt[method] {
			return handler(ctx, req)
		}
		c := call{ic: ic, method: method, route: method, md: unaryMetadata{ctx}, start: time.Now()}
		ctx, rf := c.authenticate(ctx)
		if rf == nil && c.rule != nil && c.rule.org != nil && c.rule.org.FromMessage != nil {
			org, ok := orgFromMessage(c.rule.org, req)
			rf = c.checkOrganization(ctx, org, ok)
		}
		if rf != nil {
			return nil, c.refuse(ctx, rf)
		}
		resp, err := handler(ctx, req)
		c.report(ctx, nil)
		return resp, err
	}
}

// Stream returns the stream server interceptor, with Unary's behaviour.
// With an Organization rule that reads the organization from the request
// message, the check runs on the first message the handler receives: that
// RecvMsg returns the refusal's status error, and until the check passed
// SendMsg returns codes.PermissionDenied, so that nothing is sent to a
// caller not yet known to belong to the organization. A refused stream
// ends with the refusal's status whatever the handler returns.
//
// A call of a method the server does not know reaches this interceptor
// only with grpc.UnknownServiceHandler; it is authenticated like any other
// and reported with an empty Route, so that client-chosen method names
// never become metric labels.
func (ic *Interceptors) Stream() grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		method := info.FullMethod
		if ic.exempt[method] {
			return handler(srv, ss)
		}
		route := method
		if srv == nil { // grpc.UnknownServiceHandler: the client chose the name
			route = ""
		}
		c := call{ic: ic, method: method, route: route, md: streamMetadata{ss}, start: time.Now()}
		ctx, rf := c.authenticate(ss.Context())
		if rf != nil {
			return c.refuse(ctx, rf)
		}
		ws := &wrappedStream{ServerStream: ss, ctx: ctx, c: &c}
		if c.rule != nil && c.rule.org != nil && c.rule.org.FromMessage != nil {
			ws.pending.Store(true)
		}
		err := handler(srv, ws)
		if rf := ws.refusal.Load(); rf != nil {
			c.report(ctx, rf)
			return rf.err()
		}
		c.report(ctx, nil)
		return err
	}
}
