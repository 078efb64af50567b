package grpcauth

import (
	"context"
	"errors"
	"time"

	"google.golang.org/grpc/metadata"

	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/internal/bearer"
	"github.com/tokengate/tokengate/internal/errclass"
	"github.com/tokengate/tokengate/internal/routecheck"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// call is one call being authenticated.
type call struct {
	ic     *Interceptors
	method string // the full method name
	route  string // the method as reported: "" for a method the server does not know
	md     transport
	rule   *rule
	claims *verifier.Claims
	start  time.Time // when the interceptor took the call
}

// refused is a refusal of one call: the template, and what is reported
// with it.
type refused struct {
	*refusal
	cause  error
	reason string
	hit    bool   // the organization answers came from a cache
	nonce  string // the DPoP-Nonce to send (use_dpop_nonce)
}

func (c *call) refusal(tmpl *refusal, cause error, reason string) *refused {
	return &refused{refusal: tmpl, cause: cause, reason: reason}
}

// authenticate verifies the call's token and checks the method's rule
// (all but an organization named by the request message, which needs the
// message). It returns ctx with the claims, or the refusal.
func (c *call) authenticate(ctx context.Context) (context.Context, *refused) {
	ic := c.ic
	a := &ic.answers
	c.rule = ic.rules[c.method]
	tok, isDPoP, err := readAuthorization(c.md.get("authorization"), ic.dp != nil)
	if err != nil {
		if isDPoP {
			return ctx, c.refusal(&a.dpBadRequest, err, "")
		}
		return ctx, c.refusal(&a.badRequest, err, "")
	}
	var rf *refused
	switch {
	case isDPoP:
		c.claims, rf = c.verifyDPoP(ctx, tok)
	case ic.dp != nil && ic.dp.mode == middleware.DPoPRequired && tok != "":
		rf = c.refusal(&a.bearerDenied, errBearerRefused, "dpop_required")
	case tok == "":
		rf = c.refusal(&a.missing, nil, "")
	default:
		c.claims, rf = c.verifyBearer(ctx, tok)
	}
	if rf != nil {
		return ctx, rf
	}
	ctx = middleware.NewContext(ctx, c.claims)
	r := c.rule
	if r == nil {
		return ctx, nil
	}
	if rf := c.checkScopes(); rf != nil {
		return ctx, rf
	}
	if r.stepUp != nil {
		if err := r.stepUp.Check(ic.v, c.claims); err != nil {
			return ctx, c.refusal(ic.answers.stepUp(err), err, "ok")
		}
	}
	switch {
	case r.org != nil && r.org.Metadata != "":
		org, ok := singleValue(c.md.get(r.org.Metadata))
		return ctx, c.checkOrganization(ctx, org, ok)
	case r.org == nil && r.member:
		return ctx, c.checkMember(ctx, time.Now(), c.claims.OrgID)
	}
	return ctx, nil
}

// verifyBearer verifies a Bearer token, as middleware.Authenticate does.
func (c *call) verifyBearer(ctx context.Context, tok string) (*verifier.Claims, *refused) {
	ic := c.ic
	claims, err := ic.v.Verify(ctx, tok, ic.verifyOpts...)
	if err != nil {
		if !bearer.IsB64Token(tok) {
			return nil, c.refusal(&ic.answers.badRequest, errMalformedToken, "")
		}
		return nil, c.refusal(c.classify(ctx, err, &ic.answers.badToken), err, verifier.Reason(err))
	}
	return claims, nil
}

// classify picks the refusal of a Verify error: a canceled call is a client
// that went away; unavailable keys and a deadline that ended while they were
// fetched are the server's outage (Unavailable), never the token's fault;
// anything else is the token's (bad).
func (c *call) classify(ctx context.Context, err error, bad *[errclass.N]refusal) *refusal {
	a := &c.ic.answers
	switch {
	case routecheck.ClientGone(ctx):
		return &a.canceled
	case errors.Is(err, verifier.ErrKeysUnavailable),
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return &a.unavailable
	}
	return &bad[errclass.Token(err)]
}

// checkScopes applies the rule's scope and permission lists.
func (c *call) checkScopes() *refused {
	r, cl := c.rule, c.claims
	ok := true
	for _, s := range r.scopes {
		ok = ok && cl.HasScope(s)
	}
	for _, p := range r.perms {
		ok = ok && cl.HasPermission(p)
	}
	for _, v := range r.either {
		ok = ok && (cl.HasScope(v) || cl.HasPermission(v))
	}
	if ok {
		return nil
	}
	return c.refusal(r.scopeRefusal, nil, "") // the token verified: no Verify reason, as middleware reports it
}

// sendMetadata puts a refusal's challenge, retry pushback and DPoP nonce in
// the call's trailer.
func (c *call) sendMetadata(rf *refused) {
	md := metadata.MD{}
	if rf.challenge != "" {
		md.Set("www-authenticate", rf.challenge)
	}
	if rf.retry {
		md.Set("grpc-retry-pushback-ms", c.ic.retryMs)
	}
	if rf.nonce != "" {
		md.Set("dpop-nonce", rf.nonce)
	}
	if len(md) > 0 {
		c.md.setTrailer(md)
	}
}

// refuse answers a refused call: its trailer, its report, its status.
func (c *call) refuse(ctx context.Context, rf *refused) error {
	c.sendMetadata(rf)
	c.report(ctx, rf)
	return rf.err()
}

// dpopReason is the Event.Reason of a proof error.
func dpopReason(err error) string { return dpop.Reason(err) }
