package grpcauth

import (
	"context"
	"errors"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/internal/routecheck"
	"github.com/tokengate/tokengate/orgs"
	"github.com/tokengate/tokengate/verifier"
)

var errNoOrganization = errors.New("grpcauth: the call names no organization")

// orgFromMessage asks the rule's FromMessage for the organization msg
// names. A panic in it is a refusal (the organization is unknown), never a
// crash of the server.
func orgFromMessage(o *Organization, msg any) (string, bool) {
	type named struct {
		org string
		ok  bool
	}
	n, err := hook.Call(func() (named, error) {
		org, ok := o.FromMessage(msg)
		return named{org, ok}, nil
	})
	if err != nil {
		return "", false
	}
	return n.org, n.ok
}

// checkOrganization checks that the call's claims belong to org (named by
// the call: ok false or "" when it names none), as orgs.Require does:
// (*verifier.Claims).CheckOrganization, then the rule's Allow list. It
// records the organization for orgs.Checked, then runs the rule's
// membership check.
func (c *call) checkOrganization(ctx context.Context, org string, ok bool) *refused {
	start := time.Now()
	a := &c.ic.answers
	if !ok || org == "" {
		return c.orgRefusal(ctx, start, &a.orgMissing, errNoOrganization, false)
	}
	checked := routecheck.Org{Value: org, ByName: !verifier.IsOrganizationID(org)}
	if !checked.ByName {
		checked.ID = org
	}
	if err := c.claims.CheckOrganization(org); err != nil {
		for _, al := range c.rule.org.Allow {
			if c.claims.CheckOrganization(al) == nil {
				checked.Granted = true
				break
			}
		}
		if !checked.Granted {
			return c.orgRefusal(ctx, start, &a.orgDenied, err, false)
		}
	}
	if s := routecheck.From(ctx); s != nil {
		*s.Org() = checked
	}
	c.observeOrg(ctx, start, orgs.Event{Outcome: orgs.OutcomeAllowed, Route: c.route})
	if !c.rule.member {
		return nil
	}
	memberOrg := c.claims.OrgID
	if !checked.Granted && checked.ID != "" {
		memberOrg = checked.ID
	}
	return c.checkMember(ctx, start, memberOrg)
}

// checkMember asks Config.Membership whether the token's subject is a
// member of org, through orgs.Members' cache, as orgs.RequireMember does.
func (c *call) checkMember(ctx context.Context, start time.Time, org string) *refused {
	a := &c.ic.answers
	if org == "" || c.claims.Subject == "" {
		return c.orgRefusal(ctx, start, &a.orgMissing, errNoOrganization, false)
	}
	member, hit, err := c.ic.members.Check(ctx, org, c.claims.Subject)
	switch {
	case err != nil && routecheck.ClientGone(ctx):
		return c.orgRefusal(ctx, start, &a.orgCanceled, err, hit)
	case err != nil:
		return c.orgRefusal(ctx, start, &a.orgUnavailable, err, hit)
	case !member:
		return c.orgRefusal(ctx, start, &a.notMember, nil, hit)
	}
	c.observeOrg(ctx, start, orgs.Event{Outcome: orgs.OutcomeAllowed, Route: c.route, CacheHit: hit})
	return nil
}

// orgRefusal is an organization refusal, told to the OrgObserver at once.
func (c *call) orgRefusal(ctx context.Context, start time.Time, tmpl *refusal, cause error, hit bool) *refused {
	rf := &refused{refusal: tmpl, cause: cause, hit: hit} // no reason: the token verified, as middleware reports it
	c.observeOrg(ctx, start, orgs.Event{Outcome: tmpl.outcome, Status: tmpl.status, Route: c.route, CacheHit: hit})
	return rf
}
