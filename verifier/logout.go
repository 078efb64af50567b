package verifier

import (
	"github.com/tokengate/tokengate/internal/strictjson"
)

const (
	// logoutTyp is the typ of a logout token (Back-Channel Logout 1.0
	// section 2.4), compared without regard to case and after an
	// "application/" prefix is dropped, as every typ is.
	logoutTyp = "logout+jwt"
	// BackChannelLogoutEvent is the member of a logout token's events
	// claim that makes it one (section 2.4).
	BackChannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout"
)

// checkLogout applies the claim rules of a logout token that the common
// checks do not (iss, aud, exp and iat are theirs): jti, events, sub or
// sid, no nonce (section 2.6, steps 3 to 6). The payload verified and was
// parsed strictly (no duplicate members at any depth), so events read here
// is what every other parser of the token sees.
func checkLogout(c *Claims) error {
	const kind = "logout token"
	if c.ID == "" {
		return newError(ErrMissingClaim, "jti", "JWT ID (jti) claim must be a non-empty string present in the "+kind)
	}
	if c.has&hasNonce != 0 {
		// Section 2.4: a nonce is prohibited, so that an ID token, which
		// carries one, can never pass for a logout token.
		return newError(ErrNonce, "nonce", "Nonce (nonce) claim must not be present in the "+kind)
	}
	if err := checkLogoutEvent(c); err != nil {
		return err
	}
	sid, err := sessionID(c)
	if err != nil {
		return err
	}
	if c.Subject == "" && sid == "" {
		return newError(ErrMissingClaim, "sub", "Subject (sub) or Session ID (sid) claim must be a non-empty string present in the "+kind)
	}
	return nil
}

// checkLogoutEvent checks that events is an object with the back-channel
// logout member, whose value is an object (its members are not read).
func checkLogoutEvent(c *Claims) error {
	raw, ok := c.Lookup("events")
	if !ok {
		return newError(ErrMissingClaim, "events", "Events (events) claim must be an object present in the logout token")
	}
	s := strictjson.NewScanner(raw)
	if s.Peek() != strictjson.Object {
		return typeError("events", "an object")
	}
	if err := s.BeginObject(); err != nil {
		return malformedJSON("claims", err)
	}
	var m strictjson.Members
	for {
		name, ok, err := s.NextMember(&m)
		if err != nil {
			return malformedJSON("claims", err)
		}
		if !ok {
			return newError(ErrMissingClaim, "events", "Events (events) claim must hold the member "+BackChannelLogoutEvent+" in the logout token")
		}
		if string(name) != BackChannelLogoutEvent {
			if err := s.Skip(); err != nil {
				return malformedJSON("claims", err)
			}
			continue
		}
		if s.Peek() != strictjson.Object {
			return typeError("events", "an object whose member "+BackChannelLogoutEvent+" is an object")
		}
		return nil
	}
}
