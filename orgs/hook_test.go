package orgs_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

type panicHandler struct{}

func (panicHandler) Enabled(context.Context, slog.Level) bool  { return true }
func (panicHandler) Handle(context.Context, slog.Record) error { panic("log handler bug") }
func (h panicHandler) WithAttrs([]slog.Attr) slog.Handler      { return h }
func (h panicHandler) WithGroup(string) slog.Handler           { return h }

// TestObserverPanic: an orgs Observer or logger that panics cannot take a
// request down: allowed requests reach the handler, refused ones get their
// refusal.
func TestObserverPanic(t *testing.T) {
	auth := middleware.Authenticate(newVerifier(t))
	obs := orgs.ObserverFunc(func(context.Context, orgs.Event) { panic("observer bug") })
	acme := bearer(token(t, map[string]any{"org_id": "org_acme"}))
	for _, opt := range []struct {
		name string
		opt  orgs.SharedOption
	}{
		{"observer", orgs.WithObserver(obs)},
		{"logger", orgs.WithLogger(slog.New(panicHandler{}))},
	} {
		srv := server(t, routers[0].serve("/orgs/{org}/items", auth, orgs.Require(orgs.FromPath("org"), opt.opt),
			orgs.RequireMember(&checker{members: map[string]bool{"org_acme/auth0|alice": true}}, opt.opt)))
		t.Run(opt.name+"/allowed", func(t *testing.T) {
			resp, body := call(t, srv, "/orgs/org_acme/items", acme)
			check(t, resp, body, want{200, "", "sub=auth0|alice org=org_acme", ""})
		})
		t.Run(opt.name+"/denied", func(t *testing.T) {
			resp, body := call(t, srv, "/orgs/org_globex/items", acme)
			check(t, resp, body, want{403, "", bodyDenied, ""})
		})
	}
}

// TestJoinObserversOrgs: a joined observer gives each member every check's
// event, with the request's context, even when one panics.
func TestJoinObserversOrgs(t *testing.T) {
	if orgs.JoinObservers(nil) != nil {
		t.Error("JoinObservers(nil): got an observer, want nil")
	}
	var got []string
	boom := orgs.ObserverFunc(func(context.Context, orgs.Event) { panic("observer bug") })
	rec := orgs.ObserverFunc(func(ctx context.Context, e orgs.Event) {
		if _, ok := middleware.ClaimsFromContext(ctx); ok && !e.Start.IsZero() && e.Method == "GET" {
			got = append(got, e.Outcome)
		}
	})
	auth := middleware.Authenticate(newVerifier(t))
	srv := server(t, routers[0].serve("/orgs/{org}/items", auth,
		orgs.Require(orgs.FromPath("org"), orgs.WithObserver(orgs.JoinObservers(boom, rec)))))
	acme := bearer(token(t, map[string]any{"org_id": "org_acme"}))
	call(t, srv, "/orgs/org_acme/items", acme)
	call(t, srv, "/orgs/org_globex/items", acme)
	if len(got) != 2 || got[0] != orgs.OutcomeAllowed || got[1] != orgs.OutcomeDenied {
		t.Errorf("got outcomes %v, want ok then org_denied with the request's context", got)
	}
}
