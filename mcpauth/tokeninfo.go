package mcpauth

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/auth"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// ExtraClaims is the key of auth.TokenInfo.Extra under which TokenVerifier
// puts the verified *verifier.Claims. Tools read it with Claims.
const ExtraClaims = "tokengate/claims"

// The TokenVerifier's errors. They wrap auth.ErrInvalidToken, so the SDK
// answers 401; their texts, which the SDK writes as the body, are constant.
var (
	// ErrNoClaims: no verified claims on the request context:
	// middleware.Authenticate is not in front of the SDK's middleware.
	ErrNoClaims = fmt.Errorf("mcpauth: no verified claims on the request (%w)", auth.ErrInvalidToken)
	// ErrNotForResource: the token's aud does not name the resource.
	ErrNotForResource = fmt.Errorf("mcpauth: token not issued for this resource (%w)", auth.ErrInvalidToken)
	// ErrNoUser: the token has no sub, or an iss with a space, so no
	// UserID can bind the session to its user.
	ErrNoUser = fmt.Errorf("mcpauth: token without a usable subject (%w)", auth.ErrInvalidToken)
)

// TokenVerifier returns the auth.TokenVerifier that Handler gives the SDK's
// auth.RequireBearerToken. It does not verify the token string again: it
// reads the claims middleware.Authenticate verified from the request
// context, and refuses when there are none (ErrNoClaims) or when their aud
// does not name the resource (ErrNotForResource; Authenticate refused such
// tokens already). The TokenInfo it returns has:
//
//   - UserID: iss, a space, sub. The streamable transport refuses a session
//     used by another UserID (session hijacking); iss is part of it so that
//     one sub at two issuers is two users. A token without sub, or whose iss
//     holds a space (so that the pair would not be unambiguous), is refused
//     (ErrNoUser);
//   - Scopes: the values Match looks in (scope, permissions, or both);
//   - Expiration: exp;
//   - Extra[ExtraClaims]: the *verifier.Claims (read-only, shared with the
//     verifier's cache), for tools: Claims(req.Extra.TokenInfo).
func (p *Protector) TokenVerifier() auth.TokenVerifier {
	return func(_ context.Context, _ string, r *http.Request) (*auth.TokenInfo, error) {
		c, ok := middleware.ClaimsFromContext(r.Context())
		if !ok {
			return nil, ErrNoClaims
		}
		if !slices.Contains(c.Audience, p.resource) {
			return nil, ErrNotForResource
		}
		return tokenInfo(c, p.match)
	}
}

func tokenInfo(c *verifier.Claims, m Match) (*auth.TokenInfo, error) {
	if c.Subject == "" || c.Issuer == "" || strings.IndexByte(c.Issuer, ' ') >= 0 {
		return nil, ErrNoUser
	}
	var scopes []string
	switch m {
	case MatchPermissions:
		scopes = slices.Clone(c.Permissions)
	case MatchScopesOrPermissions:
		// Both lists, as they are: a value in both appears twice, which
		// costs nothing, where removing duplicates would cost a pass per
		// value over a list the token's size bounds.
		scopes = append(slices.Clone(c.Scope), c.Permissions...)
	default:
		scopes = slices.Clone(c.Scope)
	}
	return &auth.TokenInfo{
		UserID:     c.Issuer + " " + c.Subject,
		Scopes:     scopes,
		Expiration: c.ExpiresAt,
		Extra:      map[string]any{ExtraClaims: c},
	}, nil
}

// Claims returns the verified claims of a request's TokenInfo (a tool
// handler's req.Extra.TokenInfo), put there by TokenVerifier. It reports
// false for nil or for a TokenInfo another verifier made.
func Claims(ti *auth.TokenInfo) (*verifier.Claims, bool) {
	if ti == nil {
		return nil, false
	}
	c, ok := ti.Extra[ExtraClaims].(*verifier.Claims)
	return c, ok && c != nil
}
