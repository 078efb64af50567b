package orgs_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/orgs"
)

const bodyMisconfigured = `{"error":"server_error","error_description":"the server is not set up to check this request's credentials"}` + "\n"

// TestUnmountedRouteCheck: orgs.Require and orgs.RequireMember mounted
// without middleware.Authenticate before them answer a valid token 500,
// not a silent 401, log the mistake once per check at Error (to their
// Logger, else slog.Default()), and tell their Observer
// (middleware.OutcomeMisconfigured).
func TestUnmountedRouteCheck(t *testing.T) {
	good := bearer(token(t, map[string]any{"org_id": "org_acme"}))
	members := &checker{members: map[string]bool{"org_acme/auth0|alice": true}}
	for _, withLogger := range []bool{true, false} {
		kinds := map[string]func(l *slog.Logger, o orgs.Observer) mw{
			"orgs.Require": func(l *slog.Logger, o orgs.Observer) mw {
				opts := []orgs.Option{orgs.WithObserver(o)}
				if l != nil {
					opts = append(opts, orgs.WithLogger(l))
				}
				return orgs.Require(orgs.FromPath("org"), opts...)
			},
			"orgs.RequireMember": func(l *slog.Logger, o orgs.Observer) mw {
				opts := []orgs.MemberOption{orgs.WithObserver(o)}
				if l != nil {
					opts = append(opts, orgs.WithLogger(l))
				}
				return orgs.RequireMember(members, opts...)
			},
		}
		for name, mk := range kinds {
			for _, rt := range routers {
				sub := rt.name + "/" + name + "/logger"
				if !withLogger {
					sub = rt.name + "/" + name + "/default-logger"
				}
				t.Run(sub, func(t *testing.T) {
					var buf lockedBuffer
					l := slog.New(slog.NewTextHandler(&buf, nil))
					if !withLogger {
						old := slog.Default()
						slog.SetDefault(l)
						t.Cleanup(func() { slog.SetDefault(old) })
						l = nil
					}
					var outcomes []string
					var mu sync.Mutex
					obs := orgs.ObserverFunc(func(_ context.Context, e orgs.Event) {
						mu.Lock()
						outcomes = append(outcomes, e.Outcome)
						mu.Unlock()
					})
					srv := server(t, rt.serve("/orgs/{org}/items", mk(l, obs)))
					for range 3 {
						resp, body := call(t, srv, "/orgs/org_acme/items", good)
						check(t, resp, body, want{500, "", bodyMisconfigured, ""})
					}
					out := buf.take()
					if n := strings.Count(out, "mounted without middleware.Authenticate before it"); n != 1 || !strings.Contains(out, "level=ERROR") || !strings.Contains(out, name) {
						t.Errorf("log: got %q, want one ERROR line naming %s", out, name)
					}
					mu.Lock()
					defer mu.Unlock()
					if len(outcomes) != 3 || outcomes[0] != middleware.OutcomeMisconfigured {
						t.Errorf("observer: got %q, want 3 × %q", outcomes, middleware.OutcomeMisconfigured)
					}
				})
			}
		}
	}
}
