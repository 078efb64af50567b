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
	obs := orgs.ObserverFunc(func(orgs.Event) { panic("observer bug") })
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
