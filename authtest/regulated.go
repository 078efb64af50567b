package authtest

import (
	"maps"
	"time"
)

// Claims of regulated APIs: how the user authenticated (step-up, RFC 9470)
// and what was granted in detail (Rich Authorization Requests, RFC 9396).
// They add claims to a Token for Mint; nothing here checks them.

// ACRMultiFactor is the acr value of an Auth0 login that passed
// multi-factor authentication.
const ACRMultiFactor = "http://schemas.openid.net/pape/policies/2007/06/multi-factor"

// Authentication describes how and when the user authenticated, for
// Token.WithAuthentication. A zero field adds no claim.
type Authentication struct {
	ACR  string    // acr: the authentication context class
	AMR  []string  // amr: the methods ("pwd", "mfa", "otp")
	Time time.Time // auth_time, in whole seconds
}

// MultiFactor is the Authentication of an Auth0 login with MFA at t: acr
// ACRMultiFactor and amr ["pwd", "mfa"].
func MultiFactor(t time.Time) Authentication {
	return Authentication{ACR: ACRMultiFactor, AMR: []string{"pwd", "mfa"}, Time: t}
}

// WithAuthentication returns tok with the claims acr, amr and auth_time of
// a added to its Claims (a copy: tok's map is not changed).
func (tok Token) WithAuthentication(a Authentication) Token {
	tok.Claims = maps.Clone(tok.Claims)
	if tok.Claims == nil {
		tok.Claims = map[string]any{}
	}
	if a.ACR != "" {
		tok.Claims["acr"] = a.ACR
	}
	if a.AMR != nil {
		tok.Claims["amr"] = append([]string(nil), a.AMR...)
	}
	if !a.Time.IsZero() {
		tok.Claims["auth_time"] = a.Time.Unix()
	}
	return tok
}

// WithAuthorizationDetails returns tok with the authorization_details claim
// (RFC 9396) set to details, in order: values that encoding/json marshals
// to objects with a "type" member (maps, structs), or anything else, to
// mint malformed claims. Its Claims are a copy: tok's map is not changed.
func (tok Token) WithAuthorizationDetails(details ...any) Token {
	tok.Claims = maps.Clone(tok.Claims)
	if tok.Claims == nil {
		tok.Claims = map[string]any{}
	}
	tok.Claims["authorization_details"] = append([]any{}, details...)
	return tok
}
