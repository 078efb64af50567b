package authtest

import (
	"encoding/json"
	"net/http"
)

// discoveryDocument is the OpenID Provider Metadata (OpenID Connect
// Discovery 1.0 section 3) of the tenant: what it really serves, in the
// shape of an Auth0 tenant's document.
type discoveryDocument struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	JWKSURI                           string   `json:"jwks_uri"`
	ScopesSupported                   []string `json:"scopes_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	TokenEndpointAuthSigningAlgs      []string `json:"token_endpoint_auth_signing_alg_values_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	ClaimsSupported                   []string `json:"claims_supported"`
	RequestURIParameterSupported      bool     `json:"request_uri_parameter_supported"`
	RequestParameterSupported         bool     `json:"request_parameter_supported"`
}

// assertionAlgs are the client assertion algorithms the token endpoint
// accepts (Auth0 accepts these three for private_key_jwt).
var assertionAlgs = []string{"RS256", "RS384", "PS256"}

func (t *Tenant) serveDiscovery(w http.ResponseWriter, _ *http.Request) {
	doc := discoveryDocument{
		Issuer:                            t.issuer,
		AuthorizationEndpoint:             t.URL + "/authorize", // not served: there is no login page
		TokenEndpoint:                     t.URL + "/oauth/token",
		UserinfoEndpoint:                  t.URL + "/userinfo",
		JWKSURI:                           t.JWKSURL(),
		ScopesSupported:                   []string{"openid", "profile", "email", "address", "phone", "offline_access"},
		ResponseTypesSupported:            []string{"code"},
		SubjectTypesSupported:             []string{"public"},
		IDTokenSigningAlgValuesSupported:  []string{"RS256"},
		TokenEndpointAuthMethodsSupported: []string{"client_secret_basic", "client_secret_post", "private_key_jwt"},
		TokenEndpointAuthSigningAlgs:      assertionAlgs,
		GrantTypesSupported:               []string{GrantClientCredentials, GrantPassword, GrantPasswordRealm},
		ClaimsSupported: []string{"aud", "email", "email_verified", "exp", "iat", "iss", "name", "nickname",
			"org_id", "org_name", "picture", "sub", "updated_at"},
	}
	writeJSON(w, http.StatusOK, doc)
}

// writeJSON writes v as the JSON response body with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}
