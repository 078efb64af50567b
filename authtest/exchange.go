package authtest

import (
	"context"
	"crypto/rand"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// Token-exchange grant types and token types (Auth0 Custom Token Exchange,
// RFC 8693; Token Vault).
const (
	GrantTokenExchange            = "urn:ietf:params:oauth:grant-type:token-exchange"
	GrantFederatedConnectionToken = "urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token"
	// TokenTypeAccessToken is the subject token type of a Token Vault
	// exchange of an access token, and the issued type of a Custom Token
	// Exchange.
	TokenTypeAccessToken = "urn:ietf:params:oauth:token-type:access_token"
	// TokenTypeFederatedConnection is the requested token type of a Token
	// Vault exchange.
	TokenTypeFederatedConnection = "http://auth0.com/oauth/token-type/federated-connection-access-token"
	// ErrorConnectionMissing is the error code of a Token Vault exchange for
	// a connection the user has no tokens of.
	ErrorConnectionMissing = "federated_connection_refresh_token_not_found"
	// vaultTokenTTL is the lifetime of the connection tokens issued.
	vaultTokenTTL = time.Hour
)

// checkCustomTokenTypes refuses what Auth0 refuses in a Custom Token
// Exchange profile: an empty type or one in the urn:ietf: namespace.
func checkCustomTokenTypes(types []string) error {
	for _, s := range types {
		if s == "" || strings.HasPrefix(strings.ToLower(s), "urn:ietf:") {
			return configErrorf("CustomTokenTypes: %q is empty or in the reserved urn:ietf: namespace", s)
		}
	}
	return nil
}

// subjectVerifier verifies subject and actor tokens: the tenant's own access
// tokens for any of its APIs, unbound (a DPoP- or certificate-bound token
// is refused: its holder would have to prove the key).
func (t *Tenant) subjectVerifier() (*verifier.Verifier, error) {
	auds := make([]string, 0, len(t.dir.apis))
	for a := range t.dir.apis {
		auds = append(auds, a)
	}
	slices.Sort(auds)
	return verifier.New(verifier.Config{Issuer: t.issuer, Audience: auds, Algorithms: []string{"RS256", "ES256"},
		Keys: t, Now: t.now, CacheSize: -1})
}

// exchangeSubject checks subject_token (and its type against allowed) and
// returns its verified claims and the user it names.
func (t *Tenant) exchangeSubject(ctx context.Context, p map[string]string, allowed func(string) bool) (*verifier.Verifier, *verifier.Claims, *user, *oauthError) {
	for _, name := range []string{"subject_token", "subject_token_type"} {
		if p[name] == "" {
			return nil, nil, nil, invalidRequest("Missing required parameter: " + name)
		}
	}
	if !allowed(p["subject_token_type"]) {
		return nil, nil, nil, invalidRequest("Unsupported subject_token_type")
	}
	v, err := t.subjectVerifier()
	if err != nil {
		return nil, nil, nil, &oauthError{http.StatusInternalServerError, "server_error", "Could not check the subject token"}
	}
	c, err := v.Verify(ctx, p["subject_token"])
	if err != nil {
		return nil, nil, nil, &oauthError{http.StatusBadRequest, "invalid_grant", "Invalid subject token"}
	}
	u := t.dir.bySubject[c.Subject]
	if u == nil {
		return nil, nil, nil, &oauthError{http.StatusBadRequest, "invalid_grant", "The subject token does not name a user"}
	}
	return v, c, u, nil
}

// tokenExchange is Auth0's Custom Token Exchange as the tenant plays it:
// the subject token type must be one of Config.CustomTokenTypes (the
// profile); the subject token must be the tenant's own unbound access token
// of a user (what a profile's Action would check); the new token is for the
// requested audience, with the requested scopes the user's roles grant
// there, the subject's org_id, and act naming the actor_token's subject
// when one is given (the subject token's own act nested inside).
func (t *Tenant) tokenExchange(ctx context.Context, c *client, p map[string]string) (*tokenResponse, *oauthError) {
	v, sc, u, oerr := t.exchangeSubject(ctx, p, func(s string) bool { return slices.Contains(t.dir.customTokenTypes, s) })
	if oerr != nil {
		return nil, oerr
	}
	aud, oerr := t.audience(p)
	if oerr != nil {
		return nil, oerr
	}
	if aud == "" {
		return nil, &oauthError{http.StatusForbidden, "access_denied", "No audience parameter was provided, and no default audience has been configured"}
	}
	claims := map[string]any{"iss": t.issuer, "sub": sc.Subject, "aud": aud, "azp": c.ID, "gty": "token-exchange"}
	if sc.Actor != nil {
		claims["act"] = actorClaim(sc.Actor)
	}
	if p["actor_token"] != "" || p["actor_token_type"] != "" {
		if p["actor_token"] == "" || p["actor_token_type"] != TokenTypeAccessToken {
			return nil, invalidRequest("actor_token and actor_token_type " + TokenTypeAccessToken + " go together")
		}
		ac, err := v.Verify(ctx, p["actor_token"])
		if err != nil {
			return nil, &oauthError{http.StatusBadRequest, "invalid_grant", "Invalid actor token"}
		}
		act := map[string]any{"sub": ac.Subject}
		if prior, ok := claims["act"]; ok {
			act["act"] = prior
		}
		claims["act"] = act
	}
	perms := u.permissions(aud, sc.OrgID)
	var scopes []string
	for _, s := range scopeList(p["scope"]) {
		if slices.Contains(perms, s) {
			scopes = append(scopes, s)
		}
	}
	if len(scopes) > 0 {
		claims["scope"] = strings.Join(scopes, " ")
	}
	claims["permissions"] = perms
	if sc.OrgID != "" {
		claims["org_id"], claims["org_name"] = sc.OrgID, sc.OrgName
	}
	now := t.now()
	claims["iat"], claims["exp"] = now.Unix(), now.Add(t.tokenTTL).Unix()
	at, err := t.signRS256(claims)
	if err != nil {
		return nil, &oauthError{http.StatusInternalServerError, "server_error", "Could not sign the token"}
	}
	return &tokenResponse{AccessToken: at, Scope: strings.Join(scopes, " "), ExpiresIn: int64(t.tokenTTL.Seconds()),
		TokenType: "Bearer", IssuedTokenType: TokenTypeAccessToken}, nil
}

func actorClaim(a *verifier.Actor) map[string]any {
	m := map[string]any{"sub": a.Subject}
	if a.Actor != nil {
		m["act"] = actorClaim(a.Actor)
	}
	return m
}

// connectionToken is a Token Vault exchange of a user's access token for
// the access token of one of the user's connections (User.VaultConnections):
// an opaque token, valid one hour. A connection the user has no tokens of
// is refused with ErrorConnectionMissing.
func (t *Tenant) connectionToken(ctx context.Context, p map[string]string) (*tokenResponse, *oauthError) {
	_, _, u, oerr := t.exchangeSubject(ctx, p, func(s string) bool { return s == TokenTypeAccessToken })
	if oerr != nil {
		return nil, oerr
	}
	if p["requested_token_type"] != TokenTypeFederatedConnection {
		return nil, invalidRequest("requested_token_type must be " + TokenTypeFederatedConnection)
	}
	conn := p["connection"]
	if conn == "" {
		return nil, invalidRequest("Missing required parameter: connection")
	}
	if !slices.Contains(u.VaultConnections, conn) {
		return nil, &oauthError{http.StatusUnauthorized, ErrorConnectionMissing, "Federated connection Refresh Token not found."}
	}
	return &tokenResponse{AccessToken: "vault." + rand.Text(), ExpiresIn: int64(vaultTokenTTL.Seconds()),
		TokenType: "Bearer", IssuedTokenType: TokenTypeFederatedConnection}, nil
}
