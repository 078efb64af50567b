package routecheck

import (
	"context"
	"log/slog"
	"sync/atomic"

	"github.com/tokengate/tokengate/internal/hook"
)

// Unmounted is the guard of one route check (middleware.RequireScopes and
// its siblings, RequireClaims, orgs.Require, orgs.RequireMember) against
// being mounted without middleware.Authenticate before it. Such a check
// cannot tell a valid token from none: answering 401 would send every
// client to sign in again for a mistake of the server's. The check answers
// 500 instead, and Report logs the mistake once, at Error, naming the check
// and the fix, so that it is seen at the first request and not repeated for
// every one. A middleware func cannot look at the chain it is put in, so
// this cannot be refused when the check is built.
type Unmounted struct {
	check  string // "middleware.RequireScopes"
	logged atomic.Bool
}

// NewUnmounted returns the guard of the check named check.
func NewUnmounted(check string) *Unmounted { return &Unmounted{check: check} }

// UnmountedDescription is the error_description of the 500 (the client is
// told that the server is at fault, not how).
const UnmountedDescription = "the server is not set up to check this request's credentials"

// UnmountedMessage is the text of the one log line.
const UnmountedMessage = "mounted without middleware.Authenticate before it: every request it sees is answered 500; put Authenticate (or AuthenticateTyped) before it in the chain"

// Report logs the mistake to l (nil: slog.Default()) the first time it is
// called, with the request's method and route pattern; later calls do
// nothing. A logger that panics is stopped.
func (u *Unmounted) Report(ctx context.Context, l *slog.Logger, method, route string) {
	if u.logged.Swap(true) {
		return
	}
	defer hook.Recover(nil, "")
	if l == nil {
		l = slog.Default()
	}
	l.LogAttrs(ctx, slog.LevelError, u.check+" "+UnmountedMessage,
		slog.String("check", u.check), slog.String("method", method), slog.String("route", route))
}
