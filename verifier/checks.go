package verifier

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tokengate/tokengate/internal/jose"
)

// The claim checks. Messages follow the Auth0 SDK's TokenVerifier texts,
// with "ID token" or "access token" as the kind, and attacker-controlled
// values quoted and cut.

// checkType applies the typ rules of the token kind (RFC 8725 section 3.11,
// RFC 9068 section 4).
func (v *Verifier) checkType(h jose.Header) error {
	typ := str(h.Typ)
	if len(typ) > len("application/") && strings.EqualFold(typ[:len("application/")], "application/") {
		typ = typ[len("application/"):]
	}
	if len(v.types) > 0 {
		if h.HasTyp {
			for _, t := range v.types {
				if strings.EqualFold(t, typ) {
					return nil
				}
			}
		}
		return newError(ErrTokenType, "typ", fmt.Sprintf("token type %s is not accepted", quoteID(h.Typ)))
	}
	if v.kind == LogoutToken {
		// Back-Channel Logout section 2.4: explicitly typed when typed at
		// all; "JWT" is what ID tokens carry.
		if !h.HasTyp || strings.EqualFold(typ, logoutTyp) {
			return nil
		}
	} else if !h.HasTyp || strings.EqualFold(typ, "jwt") || (v.kind == AccessToken && strings.EqualFold(typ, "at+jwt")) {
		return nil
	}
	return newError(ErrTokenType, "typ", fmt.Sprintf("token type %s is not accepted for an %s", quoteID(h.Typ), v.kindName()))
}

// checkClaims runs the checks that depend only on the configuration, in the
// order of the Auth0 SDK (iss, sub, aud, exp, iat), then RequiredClaims. The
// azp check (checkParty) is also configuration-only, but the SDK runs it
// after nonce and organization, so checkOptions reports it.
func (v *Verifier) checkClaims(c *Claims, now float64, present []bool) error {
	kind := v.kindName()
	if c.has&hasIss == 0 {
		return newError(ErrIssuer, "iss", "Issuer (iss) claim must be a string present in the "+kind)
	}
	if v.resolver != nil {
		// verify compared iss with the issuer whose keys verified it.
	} else if v.issuers != nil {
		// The key source was chosen by iss; the claim must name the same
		// issuer now that the signature verified (it does, since the payload
		// is the same bytes), and must be one of ours.
		if _, ok := v.issuers[c.Issuer]; !ok {
			return newError(ErrIssuer, "iss", fmt.Sprintf("Issuer (iss) claim mismatch in the %s; found %s", kind, quote(c.Issuer)))
		}
	} else if c.Issuer != v.issuer {
		return newError(ErrIssuer, "iss", fmt.Sprintf("Issuer (iss) claim mismatch in the %s; expected %q, found %s", kind, v.issuer, quote(c.Issuer)))
	}
	if v.kind == IDToken && (c.has&hasSub == 0 || c.Subject == "") {
		return newError(ErrMissingClaim, "sub", "Subject (sub) claim must be a string present in the "+kind)
	}
	if c.has&hasAud == 0 {
		return newError(ErrAudience, "aud", "Audience (aud) claim must be a string or array of strings present in the "+kind)
	}
	if !v.audienceMatch(c.Audience) {
		return newError(ErrAudience, "aud", fmt.Sprintf("Audience (aud) claim mismatch in the %s; expected one of %q, found %s", kind, v.audience, quoteList(c.Audience)))
	}
	if err := v.checkTimes(c, now); err != nil {
		return err
	}
	if v.kind == LogoutToken {
		if err := checkLogout(c); err != nil {
			return err
		}
	}
	for i, ok := range present {
		if !ok {
			return newError(ErrMissingClaim, v.required[i], fmt.Sprintf("claim %q is required", v.required[i]))
		}
	}
	if c.cnf&cnfOther != 0 {
		// No call can accept it (checkBinding): refuse it here, so that it
		// is not cached.
		return errUncheckableBinding()
	}
	return nil
}

// maxQuoted is the most audiences of a token a message names.
const maxQuoted = 3

// quoteList quotes a token's list of strings for a message (quote: escaped,
// each cut to 64 bytes), at most maxQuoted of them: one value alone, or
// ["a" "b" and 7 more].
func quoteList(l []string) string {
	if len(l) == 1 {
		return quote(l[0])
	}
	var b strings.Builder
	b.WriteByte('[')
	for i, s := range l[:min(len(l), maxQuoted)] {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quote(s))
	}
	if len(l) > maxQuoted {
		fmt.Fprintf(&b, " and %d more", len(l)-maxQuoted)
	}
	b.WriteByte(']')
	return b.String()
}

func (v *Verifier) audienceMatch(aud []string) bool {
	for _, a := range aud {
		for _, want := range v.audience {
			if a == want {
				return true
			}
		}
	}
	return false
}

// checkParty checks azp: for ID tokens against the client ID (required when
// aud has several values, and compared whenever present); for access tokens
// against the optional allow list.
func (v *Verifier) checkParty(c *Claims) error {
	if v.kind == IDToken {
		if c.has&hasAzp == 0 {
			if len(c.Audience) > 1 {
				return newError(ErrAuthorizedParty, "azp", "Authorized Party (azp) claim must be a string present in the ID token when Audience (aud) claim has multiple values")
			}
			return nil
		}
		if c.AuthorizedParty != v.clientID {
			return newError(ErrAuthorizedParty, "azp", fmt.Sprintf("Authorized Party (azp) claim mismatch in the ID token; expected %q, found %s", v.clientID, quote(c.AuthorizedParty)))
		}
		return nil
	}
	if len(v.azps) == 0 {
		return nil
	}
	party, claim := c.AuthorizedParty, "azp"
	if c.has&hasAzp == 0 {
		party, claim = c.ClientID, "client_id"
		if c.has&hasClientID == 0 {
			return newError(ErrAuthorizedParty, "azp", "Authorized Party (azp) or client_id claim must be a string present in the access token")
		}
	}
	if !slices.Contains(v.azps, party) {
		return newError(ErrAuthorizedParty, claim, fmt.Sprintf("Authorized Party (%s) claim %s is not allowed", claim, quote(party)))
	}
	return nil
}

// optionOrder is the Auth0 SDK TokenVerifier's order of the checks that
// follow iat: nonce, organization, azp (0 here), auth_time with max age;
// WithAudience, an aud check, comes first, as aud precedes them there.
var optionOrder = [...]optionKind{optAudience, optNonce, optOrganization, 0, optMaxAge}

// checkOptions runs the per-call checks, which also run on cache hits: first
// the sender constraint (cnf against WithBindings), then the options, and
// party (the result of checkParty; nil on a hit, since only tokens that
// passed it are cached) in the order of optionOrder, whatever the order of
// opts: the first failure by that order is the one reported.
func (v *Verifier) checkOptions(c *Claims, now float64, opts []Option, party error) error {
	if c.cnf != 0 {
		if err := checkBinding(c, opts); err != nil {
			return err
		}
	}
	if len(opts) == 0 {
		return party // the common case, and every cache hit without options
	}
	for _, kind := range optionOrder {
		if kind == 0 {
			if party != nil {
				return party
			}
			continue
		}
		for _, o := range opts {
			if o.kind != kind {
				continue
			}
			if err := v.checkOption(c, now, o); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkOption runs one per-call check.
func (v *Verifier) checkOption(c *Claims, now float64, o Option) error {
	kind := v.kindName()
	switch o.kind {
	case optNonce:
		if o.s == "" {
			return newError(ErrNonce, "nonce", "an empty nonce was asked for")
		}
		if c.has&hasNonce == 0 {
			return newError(ErrNonce, "nonce", "Nonce (nonce) claim must be a string present in the "+kind)
		}
		if c.Nonce != o.s {
			return newError(ErrNonce, "nonce", fmt.Sprintf("Nonce (nonce) claim mismatch in the %s; expected %q, found %s", kind, o.s, quote(c.Nonce)))
		}
	case optOrganization:
		return checkOrganization(c, o.s, kind)
	case optAudience:
		if o.s == "" {
			return newError(ErrAudience, "aud", "an empty audience was asked for")
		}
		if !slices.Contains(c.Audience, o.s) {
			return newError(ErrAudience, "aud", fmt.Sprintf("Audience (aud) claim of the %s does not include %s", kind, quote(o.s)))
		}
	case optMaxAge:
		return v.checkAuthTime(c, now, o.d)
	}
	return nil
}

// checkOrganization applies the organization rule. A value whose first four
// bytes are "org_" in any ASCII case is an organization id: it must equal
// org_id exactly, so "ORG_x" matches no token (Auth0 ids are "org_" and
// case-sensitive) rather than being taken for a name. Any other value is a
// name: lower-cased with strings.ToLower, as the Auth0 SDKs lower-case the
// organization they are given, it must equal org_name exactly. No case
// folding beyond that: strings.EqualFold would also match "ſ" to "s".
func checkOrganization(c *Claims, org, kind string) error {
	if org == "" {
		return newError(ErrOrganization, "org_id", "an empty organization was asked for")
	}
	if IsOrganizationID(org) {
		if c.has&hasOrgID == 0 || c.OrgID == "" {
			return newError(ErrOrganization, "org_id", "Organization (org_id) claim must be a string present in the "+kind)
		}
		if c.OrgID != org {
			return newError(ErrOrganization, "org_id", fmt.Sprintf("Organization (org_id) claim mismatch in the %s; expected %s, found %s", kind, quote(org), quote(c.OrgID)))
		}
		return nil
	}
	if c.has&hasOrgName == 0 || c.OrgName == "" {
		return newError(ErrOrganization, "org_name", "Organization (org_name) claim must be a string present in the "+kind)
	}
	if !lowerEquals(org, c.OrgName) {
		return newError(ErrOrganization, "org_name", fmt.Sprintf("Organization (org_name) claim mismatch in the %s; expected %s, found %s", kind, quote(org), quote(c.OrgName)))
	}
	return nil
}

// IsOrganizationID reports whether org, an organization a route or a call
// asks for, is an organization id: its first four bytes are "org_" in any
// ASCII case. CheckOrganization compares such a value exactly with org_id
// (so "ORG_abc" matches no token and is never taken for a name) and any
// other value, lower-cased, with org_name. It is exported so that packages
// that label or resolve organizations (orgs) classify them by this one rule.
func IsOrganizationID(org string) bool {
	return len(org) >= 4 && lowerASCII(org[0]) == 'o' && lowerASCII(org[1]) == 'r' && lowerASCII(org[2]) == 'g' && org[3] == '_'
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// lowerEquals reports whether strings.ToLower(s) == want, without
// allocating when s is ASCII.
func lowerEquals(s, want string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.ToLower(s) == want
		}
	}
	if len(s) != len(want) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if lowerASCII(s[i]) != want[i] {
			return false
		}
	}
	return true
}

// CheckOrganization applies the organization rule of WithOrganization to
// claims that were verified already (the orgs package uses it per route):
// a value starting with "org_" in any ASCII case must equal org_id exactly;
// any other value, lower-cased, must equal org_name exactly. The error wraps
// ErrOrganization.
func (c *Claims) CheckOrganization(org string) error {
	return checkOrganization(c, org, "token")
}
