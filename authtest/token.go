package authtest

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// tokenResponse is a successful answer of the token endpoint.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	IDToken     string `json:"id_token,omitempty"`
	Scope       string `json:"scope,omitempty"`
	ExpiresIn   int64  `json:"expires_in"`
	TokenType   string `json:"token_type"`
	// IssuedTokenType is set by the token-exchange grants (exchange.go).
	IssuedTokenType string `json:"issued_token_type,omitempty"`
}

// serveToken is POST /oauth/token. The package documentation lists its
// error answers.
func (t *Tenant) serveToken(w http.ResponseWriter, r *http.Request) {
	t.tokenCount.Add(1)
	resp, oerr := t.token(w, r)
	if oerr != nil {
		writeJSON(w, oerr.status, map[string]string{"error": oerr.code, "error_description": oerr.description})
		return
	}
	// RFC 6749 section 5.1: token responses must not be cached.
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, resp)
}

func (t *Tenant) token(w http.ResponseWriter, r *http.Request) (*tokenResponse, *oauthError) {
	p, oerr := readTokenParams(w, r)
	if oerr != nil {
		return nil, oerr
	}
	grant := p["grant_type"]
	if grant == "" {
		return nil, invalidRequest("Missing required parameter: grant_type")
	}
	if !knownGrants[grant] {
		return nil, &oauthError{http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type: " + grant}
	}
	c, _, oerr := t.authenticateClient(r.Context(), r, p)
	if oerr != nil {
		return nil, oerr
	}
	if !c.grantTypes[grant] {
		return nil, &oauthError{http.StatusForbidden, "unauthorized_client", "Grant type '" + grant + "' not allowed for the client."}
	}
	switch grant {
	case GrantTokenExchange:
		return t.tokenExchange(r.Context(), c, p)
	case GrantFederatedConnectionToken:
		return t.connectionToken(r.Context(), p)
	}
	if grant == GrantClientCredentials {
		jkt, oerr := t.dpopBinding(r) // dpoptoken.go
		if oerr != nil {
			return nil, oerr
		}
		return t.clientCredentials(c, p, jkt)
	}
	return t.passwordGrant(c, grant, p)
}

// audience returns the API a request names (or the default audience), ""
// when there is none.
func (t *Tenant) audience(p map[string]string) (string, *oauthError) {
	aud := p["audience"]
	if aud == "" {
		aud = t.dir.defaultAudience
	}
	if aud != "" && !t.dir.apis[aud] {
		return "", &oauthError{http.StatusForbidden, "access_denied", "Service not found: " + aud}
	}
	return aud, nil
}

// organization resolves the organization parameter (ID or name), nil when
// absent.
func (t *Tenant) organization(p map[string]string) (*Organization, *oauthError) {
	ref := p["organization"]
	if ref == "" {
		return nil, nil
	}
	o := t.dir.org(ref)
	if o == nil {
		return nil, invalidRequest("No organization found by that id or name")
	}
	return o, nil
}

func (t *Tenant) clientCredentials(c *client, p map[string]string, jkt string) (*tokenResponse, *oauthError) {
	aud, oerr := t.audience(p)
	if oerr != nil {
		return nil, oerr
	}
	if aud == "" {
		return nil, &oauthError{http.StatusForbidden, "access_denied", "No audience parameter was provided, and no default audience has been configured"}
	}
	granted, ok := c.grants[aud]
	if !ok {
		return nil, &oauthError{http.StatusForbidden, "access_denied", `Client is not authorized to access "` + aud +
			`". You need to create a "client-grant" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants`}
	}
	scopes := slices.Clone(granted)
	if requested := scopeList(p["scope"]); len(requested) > 0 {
		var missing []string
		for _, s := range requested {
			if !slices.Contains(granted, s) {
				missing = append(missing, s)
			}
		}
		if len(missing) > 0 {
			return nil, &oauthError{http.StatusForbidden, "access_denied", "Client has not been granted scopes: " + strings.Join(missing, ", ")}
		}
		scopes = requested
	}
	org, oerr := t.organization(p)
	if oerr != nil {
		return nil, oerr
	}
	if org != nil && !c.orgs[org.ID] {
		return nil, &oauthError{http.StatusForbidden, "access_denied", "Client is not allowed to access the organization"}
	}
	now := t.now()
	claims := map[string]any{
		"iss":         t.issuer,
		"sub":         c.ID + "@clients",
		"aud":         aud, // a string for client credentials, as Auth0 sends it
		"iat":         now.Unix(),
		"exp":         now.Add(t.tokenTTL).Unix(),
		"azp":         c.ID,
		"gty":         "client-credentials",
		"permissions": nonNil(scopes),
	}
	if len(scopes) > 0 {
		claims["scope"] = strings.Join(scopes, " ")
	}
	addOrg(claims, org)
	tokenType := "Bearer"
	if jkt != "" {
		claims["cnf"], tokenType = map[string]any{"jkt": jkt}, "DPoP"
	}
	at, err := t.signAccessToken(claims)
	if err != nil {
		return nil, &oauthError{http.StatusInternalServerError, "server_error", "Could not sign the token"}
	}
	return &tokenResponse{AccessToken: at, Scope: strings.Join(scopes, " "), ExpiresIn: int64(t.tokenTTL.Seconds()), TokenType: tokenType}, nil
}

// oidcScopes pass through to the token whatever the user's permissions.
var oidcScopes = []string{"openid", "profile", "email", "address", "phone", "offline_access"}

// defaultUserScope is what Auth0 grants a password login that asks for no
// scope (observed in recorded traffic).
const defaultUserScope = "openid profile email address phone"

func (t *Tenant) passwordGrant(c *client, grant string, p map[string]string) (*tokenResponse, *oauthError) {
	for _, name := range []string{"username", "password"} {
		if p[name] == "" {
			return nil, invalidRequest("Missing required parameter: " + name)
		}
	}
	connection := DefaultConnection
	if grant == GrantPasswordRealm && p["realm"] != "" {
		connection = p["realm"]
		if !t.dir.connections[connection] {
			return nil, invalidRequest("the connection was not found")
		}
	}
	u := t.dir.login(connection, p["username"])
	if u == nil || subtle.ConstantTimeCompare([]byte(p["password"]), []byte(u.Password)) != 1 {
		return nil, &oauthError{http.StatusForbidden, "invalid_grant", "Wrong email or password."}
	}
	aud, oerr := t.audience(p)
	if oerr != nil {
		return nil, oerr
	}
	org, oerr := t.organization(p)
	if oerr != nil {
		return nil, oerr
	}
	if inv := p["invitation"]; inv != "" {
		if oerr := t.acceptInvitation(u, org, inv); oerr != nil { // invitations.go
			return nil, oerr
		}
	}
	orgID := ""
	if org != nil {
		if _, member := t.member(u, org.ID); !member {
			return nil, &oauthError{http.StatusForbidden, "access_denied", "User is not a member of the organization"}
		}
		orgID = org.ID
	}
	requested, ok := p["scope"]
	if !ok {
		requested = defaultUserScope
	}
	var perms []string
	if aud != "" {
		perms = u.permissions(aud, orgID)
	}
	// RBAC: an API scope is granted only when a role gives the permission.
	var scopes []string
	for _, s := range scopeList(requested) {
		if slices.Contains(oidcScopes, s) || slices.Contains(perms, s) {
			scopes = append(scopes, s)
		}
	}
	openid := slices.Contains(scopes, "openid")

	now := t.now()
	claims := map[string]any{
		"iss": t.issuer,
		"sub": u.subject,
		"iat": now.Unix(),
		"exp": now.Add(t.tokenTTL).Unix(),
		"azp": c.ID,
	}
	userinfo := t.issuer + "userinfo"
	switch {
	case aud != "" && openid:
		claims["aud"] = []string{aud, userinfo}
	case aud != "":
		claims["aud"] = aud
	default:
		claims["aud"] = userinfo
	}
	if len(scopes) > 0 {
		claims["scope"] = strings.Join(scopes, " ")
	}
	if aud != "" {
		claims["permissions"] = perms
	}
	addOrg(claims, org)
	resp := &tokenResponse{Scope: strings.Join(scopes, " "), ExpiresIn: int64(t.tokenTTL.Seconds()), TokenType: "Bearer"}
	var err error
	if resp.AccessToken, err = t.signAccessToken(claims); err != nil {
		return nil, &oauthError{http.StatusInternalServerError, "server_error", "Could not sign the token"}
	}
	if openid {
		id := u.profile(scopes)
		id["iss"], id["aud"] = t.issuer, c.ID
		id["iat"], id["exp"] = now.Unix(), now.Add(t.idTokenTTL).Unix()
		addOrg(id, org)
		if resp.IDToken, err = t.signRS256(id); err != nil {
			return nil, &oauthError{http.StatusInternalServerError, "server_error", "Could not sign the token"}
		}
	}
	return resp, nil
}

// scopeList splits a space-separated scope parameter, dropping repeats.
func scopeList(s string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func addOrg(claims map[string]any, org *Organization) {
	if org != nil {
		claims["org_id"], claims["org_name"] = org.ID, org.Name
	}
}

// signRS256 signs claims with the current RS256 key, with the header Auth0
// uses: alg, typ JWT, kid.
func (t *Tenant) signRS256(claims map[string]any) (string, error) {
	return t.signRS256Typ(claims, "JWT")
}

// signRS256Typ is signRS256 with another typ (logout+jwt).
func (t *Tenant) signRS256Typ(claims map[string]any, typ string) (string, error) {
	k := t.ring.Load().rsa
	header, err := json.Marshal(map[string]string{"alg": "RS256", "typ": typ, "kid": k.kid})
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	return signJWS("RS256", k.signer, header, payload)
}

// profile returns the OpenID Connect claims of u that scopes allow, as
// /userinfo and ID tokens carry them.
func (u *user) profile(scopes []string) map[string]any {
	m := map[string]any{"sub": u.subject}
	if slices.Contains(scopes, "profile") {
		for k, v := range map[string]string{"name": u.Name, "nickname": u.Nickname, "picture": u.Picture} {
			if v != "" {
				m[k] = v
			}
		}
	}
	if slices.Contains(scopes, "email") && u.Email != "" {
		m["email"], m["email_verified"] = u.Email, u.EmailVerified
	}
	return m
}
