package authtest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// maxCustomClaims bounds the JSON of Token.Custom, as Auth0 bounds the
// custom claims an Action adds (100 KB).
const maxCustomClaims = 100 << 10

// reservedClaims are the names Token.Custom may not use: the claims Auth0
// refuses to let an Action set ("claims subject to Auth0's restrictions")
// and scope, which Token.Scopes sets. Auth0 drops such a claim silently;
// Mint returns an error instead, so a test cannot believe it set one.
var reservedClaims = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(`acr act active amr at_hash ath attest aud auth_time
		authorization_details azp c_hash client_id cnf cty dest entitlements events exp groups
		gty htm htu iat internalService iss jcard jku jti jwe jwk kid may_act mky nbf nonce
		object_id org_id org_name orig origid permissions roles rph s_hash scope sid sip_callid
		sip_cseq_num sip_date sip_from_tag sip_via_branch sub sub_jwk toe txn typ uuid vot vtm
		x5t#S256`) {
		m[c] = true
	}
	return m
}()

// typedClaims returns the claims of tok's typed fields (Subject, Audience,
// Scopes, Permissions, OrgID, OrgName, Custom), checked: a value Auth0
// would never issue is an error wrapping ErrClaim that names the field.
func typedClaims(tok Token) (map[string]any, error) {
	c := map[string]any{}
	if tok.Subject != "" {
		c["sub"] = tok.Subject
	}
	switch len(tok.Audience) {
	case 0:
	case 1:
		if tok.Audience[0] == "" {
			return nil, claimErrorf("Audience: empty")
		}
		c["aud"] = tok.Audience[0] // a string, as Auth0 sends one audience
	default:
		if err := checkList("Audience", tok.Audience, func(s string) bool { return s != "" }); err != nil {
			return nil, err
		}
		c["aud"] = slices.Clone(tok.Audience)
	}
	if len(tok.Scopes) > 0 {
		if err := checkList("Scopes", tok.Scopes, isScopeToken); err != nil {
			return nil, err
		}
		c["scope"] = strings.Join(tok.Scopes, " ")
	}
	if tok.Permissions != nil {
		// RBAC permissions are the scopes a role grants: same syntax. An
		// empty, non-nil list is kept: Auth0 sends "permissions": [] to a
		// user without any.
		if err := checkList("Permissions", tok.Permissions, isScopeToken); err != nil {
			return nil, err
		}
		c["permissions"] = slices.Clone(tok.Permissions)
	}
	if tok.OrgID != "" {
		if msg := orgIDProblem(tok.OrgID); msg != "" {
			return nil, claimErrorf("OrgID %s: %s (for a malformed org_id on purpose, set Claims[\"org_id\"])", quote(tok.OrgID), msg)
		}
		c["org_id"] = tok.OrgID
	}
	if tok.OrgName != "" {
		if tok.OrgName != strings.ToLower(tok.OrgName) {
			return nil, claimErrorf("OrgName %s: not lower-case (Auth0 organization names are)", quote(tok.OrgName))
		}
		c["org_name"] = tok.OrgName
	}
	if len(tok.Custom) > 0 {
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range tok.Custom {
				if !yield(k) {
					return
				}
			}
		})
		for _, k := range keys {
			switch {
			case k == "":
				return nil, claimErrorf("Custom: empty claim name")
			case reservedClaims[k]:
				return nil, claimErrorf("Custom[%s]: a registered or Auth0 claim, not a custom one: use the typed field (Subject, Audience, Scopes, Permissions, OrgID, OrgName, ExpiresIn, IssuedAt) or Claims", quote(k))
			case tok.Custom[k] == nil:
				return nil, claimErrorf("Custom[%s]: nil value (Claims[%s] = nil removes a claim)", quote(k), quote(k))
			}
		}
		raw, err := json.Marshal(tok.Custom)
		if err != nil {
			return nil, claimErrorf("Custom: %v", err)
		}
		if len(raw) > maxCustomClaims {
			return nil, claimErrorf("Custom: %d bytes of JSON, over Auth0's limit of %d", len(raw), maxCustomClaims)
		}
		for _, k := range keys {
			c[k] = tok.Custom[k]
		}
	}
	return c, nil
}

// checkList checks every element of a typed list claim and refuses
// repeats: a token with "read read" is not one Auth0 issues.
func checkList(field string, list []string, ok func(string) bool) error {
	seen := make(map[string]bool, len(list))
	for i, s := range list {
		if !ok(s) {
			return claimErrorf("%s[%d] %s: not a valid value", field, i, quote(s))
		}
		if seen[s] {
			return claimErrorf("%s[%d] %s: repeated", field, i, quote(s))
		}
		seen[s] = true
	}
	return nil
}

// isScopeToken reports whether s is a scope-token of RFC 6749 section 3.3:
// one or more of %x21 / %x23-5B / %x5D-7E (no space, quote or backslash).
func isScopeToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// orgIDProblem says what is wrong with an organization ID, "" when it has
// Auth0's shape: "org_" then letters, digits, '_' or '-'. It is the one
// check of NewTenant (Organization.ID) and Mint (Token.OrgID).
func orgIDProblem(id string) string {
	rest, ok := strings.CutPrefix(id, "org_")
	if !ok {
		return "does not start with org_"
	}
	if rest == "" {
		return "nothing after org_"
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return "has characters other than letters, digits, '_' and '-' after org_"
		}
	}
	return ""
}

// quote quotes s for an error message, cut to 64 bytes.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		return strconv.Quote(s[:max]) + "…"
	}
	return strconv.Quote(s)
}

func claimErrorf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrClaim, fmt.Sprintf(format, args...))
}
