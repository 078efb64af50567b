package logout

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/verifier"
)

// Defaults of Config.
const (
	// DefaultMaxBodySize bounds the request body: a logout token is a few
	// hundred bytes to a few KiB.
	DefaultMaxBodySize = 32 << 10
	// DefaultMaxLifetime is the longest validity (exp minus now) of a
	// logout token accepted: its jti is remembered that long. Logout tokens
	// are meant to be short-lived (Auth0's last minutes).
	DefaultMaxLifetime = time.Hour
	// DefaultRetryAfter is the Retry-After of 503 answers.
	DefaultRetryAfter = 10 * time.Second
)

// Config configures New. Verifier is required; the zero value of every
// other field is the documented default.
type Config struct {
	// Verifier checks the logout tokens; its Kind must be
	// verifier.LogoutToken and its Audience the client ID of the
	// application that registered this endpoint. Required.
	Verifier *verifier.Verifier
	// Replay records (iss, jti) of each accepted logout token until it
	// expires. Default: a dpop.MemoryStore of DefaultReplayEntries keys
	// (one process; a fleet shares one, see dpop.ReplayStore).
	Replay dpop.ReplayStore
	// Revocations, when set, gets one Revoke (two with a sid, unless
	// SessionOnly) per logout: give it the RevocationSet of the API's
	// access-token verifiers. Nil: no revocation (OnLogout does all).
	Revocations verifier.RevocationSet
	// SessionOnly revokes only the session when the logout token names
	// one (sid), not every token of the subject. Set it only if the access
	// tokens the API accepts carry sid: Auth0's do not, and a session-only
	// revocation would refuse none of them.
	SessionOnly bool
	// OnLogout is called once per accepted logout token with its sub and
	// sid (either may be empty, not both), after the revocation: end the
	// application's own sessions there. An error answers 500. Optional.
	OnLogout func(ctx context.Context, sub, sid string) error
	// MaxBodySize bounds the request body; default DefaultMaxBodySize.
	MaxBodySize int64
	// MaxLifetime refuses logout tokens whose exp is further than this
	// from now; default DefaultMaxLifetime.
	MaxLifetime time.Duration
	// RetryAfter is the Retry-After of 503 answers; default
	// DefaultRetryAfter.
	RetryAfter time.Duration
	// Logger, when set, gets one record per refused or failed request,
	// with the reason (never the token). Default: none.
	Logger *slog.Logger
	// Now is the clock; default time.Now. Give the verifier's.
	Now func() time.Time
}

// DefaultReplayEntries bounds the default replay store.
const DefaultReplayEntries = 1 << 16

// ErrConfig is wrapped by the errors of New.
var ErrConfig = errors.New("logout: invalid configuration")

func (c *Config) check() error {
	switch {
	case c.Verifier == nil:
		return configError("Verifier is required")
	case c.Verifier.Kind() != verifier.LogoutToken:
		return configError("Verifier must be of Kind verifier.LogoutToken")
	case c.MaxBodySize < 0, c.MaxLifetime < 0, c.RetryAfter < 0:
		return configError("negative MaxBodySize, MaxLifetime or RetryAfter")
	}
	return nil
}

func configError(msg string) error { return &configErr{msg} }

type configErr struct{ msg string }

func (e *configErr) Error() string { return "logout: " + e.msg }
func (e *configErr) Unwrap() error { return ErrConfig }
