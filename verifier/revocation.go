package verifier

import (
	"context"
	"errors"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/internal/strictjson"
)

// RevocationSet holds revocations: the tokens of a subject, or of one
// session, issued before some instant are refused although they verify.
// OpenID Connect back-channel logout fills it (one Revoke per logout token);
// Config.Revocations makes a Verifier consult it on every Verify, cache hits
// included, so a revoked token stops passing at once.
//
// MemoryRevocationSet is the in-process implementation; replicas of one API
// share a set through a store (package redisstore of the nested module
// github.com/tokengate/tokengate/redisstore implements it on Redis).
type RevocationSet interface {
	// RevokedBefore returns the instant before which the tokens of subject
	// at issuer are revoked, or, when sessionID is not empty, the later of
	// that and the instant of the session's revocation; the zero time when
	// neither is revoked. An error means the set cannot tell, and the token
	// is refused with ErrRevocationUnavailable (fail closed).
	RevokedBefore(ctx context.Context, issuer, subject, sessionID string) (time.Time, error)
	// Revoke records r (checked with Revocation.Check). A later Before
	// replaces an earlier one, never the other way round. An entry is kept
	// until Before plus the longest token lifetime the set is configured
	// with: by then every token it refuses has expired anyway.
	Revoke(ctx context.Context, r Revocation) error
}

// Revocation refuses the tokens of Issuer issued (iat) before Before: of
// the session SessionID when it is set (the sid claim, as a back-channel
// logout token names it), else of Subject (every session). A token without
// iat is refused by any revocation that applies to it.
type Revocation struct {
	Issuer    string
	Subject   string
	SessionID string
	Before    time.Time
}

// maxRevocationSkew is how far ahead of the set's clock Before may be: a
// little clock skew between the logout's sender and us, no more (a Before in
// the future would also refuse tokens issued after the logout).
const maxRevocationSkew = time.Minute

// Check refuses a revocation that names no issuer, neither a subject nor a
// session, or whose Before is zero or more than a minute after now.
func (r Revocation) Check(now time.Time) error {
	switch {
	case r.Issuer == "":
		return errors.New("verifier: a revocation needs an Issuer")
	case r.Subject == "" && r.SessionID == "":
		return errors.New("verifier: a revocation needs a Subject or a SessionID")
	case r.Before.IsZero():
		return errors.New("verifier: a revocation needs a Before time")
	case r.Before.After(now.Add(maxRevocationSkew)):
		return errors.New("verifier: a revocation's Before is in the future")
	}
	return nil
}

var (
	// ErrRevoked: the token verifies but was revoked (Config.Revocations):
	// its subject or its session was logged out after it was issued.
	ErrRevoked = errors.New("verifier: token revoked")
	// ErrRevocationUnavailable: the revocation set could not say whether
	// the token is revoked (an error, a timeout, a panic). It wraps
	// ErrKeysUnavailable, so that every layer that answers 503 with
	// Retry-After for unavailable keys does so for it too (the middleware,
	// the gRPC interceptors); errors.Is tells the two apart, and Reason
	// reports "revocation_unavailable".
	ErrRevocationUnavailable error = &unavailableError{"verifier: revocation set unavailable"}
	// ErrRevocationSetFull: a MemoryRevocationSet holds MaxEntries
	// unexpired entries and refuses a new one rather than forget one.
	ErrRevocationSetFull = errors.New("verifier: revocation set full")
)

// unavailableError is a sentinel that is also ErrKeysUnavailable.
type unavailableError struct{ msg string }

func (e *unavailableError) Error() string { return e.msg }
func (e *unavailableError) Unwrap() error { return ErrKeysUnavailable }

// maxCauseText bounds the set's error text copied into the message.
const maxCauseText = 200

// checkRevoked asks the revocation set about c (verified, every check
// passed). It runs on every Verify, cache hits included: revocation is
// state outside the token, which the verified-token cache cannot hold.
func (v *Verifier) checkRevoked(ctx context.Context, c *Claims) error {
	sid, err := sessionID(c)
	if err != nil {
		return err
	}
	var before time.Time
	if m, ok := v.revocations.(*MemoryRevocationSet); ok {
		before, err = m.RevokedBefore(ctx, c.Issuer, c.Subject, sid)
	} else {
		// Any other set is code of the application or a network store:
		// its panic refuses the token, it does not take the request down.
		before, err = hook.Call(func() (time.Time, error) {
			return v.revocations.RevokedBefore(ctx, c.Issuer, c.Subject, sid)
		})
	}
	if err != nil {
		msg := err.Error()
		if len(msg) > maxCauseText {
			msg = msg[:maxCauseText]
		}
		return newError(ErrRevocationUnavailable, "revocation", "cannot tell whether the token is revoked: "+msg)
	}
	if before.IsZero() {
		return nil
	}
	// iat with its sub-second precision; a token without iat cannot show
	// that it came after the revocation.
	if c.has&hasIat == 0 || c.iat < float64(before.UnixNano())/1e9 {
		return newError(ErrRevoked, "iat", "the token's subject or session was revoked after it was issued")
	}
	return nil
}

// sessionID is the sid claim (OpenID Connect Front- and Back-Channel
// Logout), "" when absent. It is read only when a revocation set is
// configured; a sid that is not a string is refused, as any claim of the
// wrong type is.
func sessionID(c *Claims) (string, error) {
	raw, ok := c.Lookup("sid")
	if !ok {
		return "", nil
	}
	s := strictjson.NewScanner(raw)
	return stringClaim(&s, "sid")
}
