package authtest

import (
	"net/http"
	"strings"
)

// bearerToken returns the token of the request's one Authorization header
// with the Bearer scheme (case-insensitive, RFC 7235 section 2.1).
func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Values("Authorization")
	if len(h) != 1 {
		return "", false
	}
	scheme, tok, ok := strings.Cut(h[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" || strings.ContainsAny(tok, " \t") {
		return "", false
	}
	return tok, true
}

// serveUserinfo is GET or POST /userinfo: the profile of the user whose
// access token (verified with the tenant's own keys, audience
// Issuer()+"userinfo") is presented, limited to the token's scopes.
func (t *Tenant) serveUserinfo(w http.ResponseWriter, r *http.Request) {
	realm := `Bearer realm="` + t.issuer + `"`
	tok, ok := bearerToken(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", realm)
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	claims, err := t.userinfoVerifier.Verify(r.Context(), tok)
	var u *user
	if err == nil {
		u = t.dir.bySubject[claims.Subject]
	}
	if u == nil {
		// One answer for every failure: the reason stays on this side.
		w.Header().Set("WWW-Authenticate", realm+`, error="invalid_token", error_description="Invalid token"`)
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	writeJSON(w, http.StatusOK, u.profile(claims.Scope))
}
