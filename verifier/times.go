package verifier

import (
	"fmt"
	"strconv"
	"time"
)

// The time checks: every piece of arithmetic on a token's dates (exp, nbf,
// iat, auth_time) is in this file. The dates are NumericDates that
// parseClaims bounded to [0, 9999-12-31] (T3) and the durations come from
// the configuration (Leeway at most 5 minutes, MaxTokenAge and WithMaxAge
// at most math.MaxInt64 nanoseconds, about 292 years), so the float64
// sums below neither overflow nor lose a second.

func fmtTime(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// checkTimes checks exp, nbf and iat (not in the future; no older than
// MaxTokenAge when it is set; required for ID tokens and with
// MaxTokenAge). It runs on every verification and on every cache hit, so
// a cached token leaves when it expires or grows too old.
func (v *Verifier) checkTimes(c *Claims, now float64) error {
	if c.has&hasExp == 0 {
		return newError(ErrExpired, "exp", "Expiration Time (exp) claim must be a number present in the "+v.kindName())
	}
	if now >= c.exp+v.leeway {
		return newError(ErrExpired, "exp", fmt.Sprintf("Expiration Time (exp) claim error in the %s; current time (%s) is after expiration time (%s)",
			v.kindName(), fmtTime(now), fmtTime(c.exp+v.leeway)))
	}
	if c.has&hasNbf != 0 {
		if c.nbf > c.exp {
			return newError(ErrNotYetValid, "nbf", "Not Before (nbf) claim is after the expiration time")
		}
		if now+v.leeway < c.nbf {
			return newError(ErrNotYetValid, "nbf", fmt.Sprintf("Not Before (nbf) claim error in the %s; current time (%s) is before %s",
				v.kindName(), fmtTime(now), fmtTime(c.nbf-v.leeway)))
		}
	}
	if c.has&hasIat == 0 {
		switch {
		case v.kind != AccessToken: // ID and logout tokens
			return newError(ErrMissingClaim, "iat", "Issued At (iat) claim must be a number present in the "+v.kindName())
		case v.maxTokenAge > 0:
			return newError(ErrMissingClaim, "iat", "Issued At (iat) claim must be a number present in the "+v.kindName()+" when MaxTokenAge is set")
		}
		return nil
	}
	if c.iat > now+v.leeway {
		return newError(ErrNotYetValid, "iat", fmt.Sprintf("Issued At (iat) claim error in the %s; it is in the future (%s)", v.kindName(), fmtTime(c.iat)))
	}
	if v.maxTokenAge > 0 {
		if limit := c.iat + v.maxTokenAge.Seconds() + v.leeway; now > limit {
			return newError(ErrExpired, "iat", fmt.Sprintf("Issued At (iat) claim error in the %s; it is older than MaxTokenAge (%v): current time (%s) is after %s",
				v.kindName(), v.maxTokenAge, fmtTime(now), fmtTime(limit)))
		}
	}
	return nil
}

// checkAuthTime is the one max-age rule, of WithMaxAge and CheckMaxAge:
// auth_time present, not in the future, and no older than d, each with
// Leeway.
func (v *Verifier) checkAuthTime(c *Claims, now float64, d time.Duration) error {
	kind := v.kindName()
	if d < 0 {
		return newError(ErrMaxAge, "auth_time", "a negative max age was asked for")
	}
	if c.has&hasAuthTime == 0 {
		return newError(ErrMaxAge, "auth_time", "Authentication Time (auth_time) claim must be a number present in the "+kind+" when Max Age (max_age) is specified")
	}
	if c.authTime > now+v.leeway {
		// An authentication in the future would pass any max age: not
		// an event that happened.
		return newError(ErrMaxAge, "auth_time", "Authentication Time (auth_time) claim in the "+kind+" is in the future")
	}
	limit := c.authTime + d.Seconds() + v.leeway
	if now > limit {
		return newError(ErrMaxAge, "auth_time", fmt.Sprintf("Authentication Time (auth_time) claim in the %s indicates that too much time has passed since the last end-user authentication. Current time (%s) is after last auth at (%s)", kind, fmtTime(now), fmtTime(limit)))
	}
	return nil
}

// CheckMaxAge applies WithMaxAge's rule to claims c that v verified, now
// (v's clock): auth_time must be present, not in the future, and no older
// than d, with v's Leeway; otherwise it returns a *ValidationError wrapping
// ErrMaxAge. Per-route step-up requirements (RFC 9470: package middleware's
// RequireStepUp) use it, so that one rule decides both.
func (v *Verifier) CheckMaxAge(c *Claims, d time.Duration) error {
	if c == nil {
		return newError(ErrMaxAge, "auth_time", "no claims")
	}
	return v.checkAuthTime(c, v.nowSeconds(), d)
}
