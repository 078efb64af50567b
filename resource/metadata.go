package resource

// Metadata is the protected-resource metadata document (RFC 9728 section
// 2), in the order the members are served. Clients decode it with
// encoding/json; members this package does not know are ignored by such a
// decode. An absent boolean member means false.
type Metadata struct {
	Resource                              string   `json:"resource"`
	AuthorizationServers                  []string `json:"authorization_servers,omitempty"`
	ScopesSupported                       []string `json:"scopes_supported,omitempty"`
	BearerMethodsSupported                []string `json:"bearer_methods_supported,omitempty"`
	ResourceName                          string   `json:"resource_name,omitempty"`
	ResourceDocumentation                 string   `json:"resource_documentation,omitempty"`
	TLSClientCertificateBoundAccessTokens bool     `json:"tls_client_certificate_bound_access_tokens,omitempty"`
	DPoPSigningAlgValuesSupported         []string `json:"dpop_signing_alg_values_supported,omitempty"`
	DPoPBoundAccessTokensRequired         bool     `json:"dpop_bound_access_tokens_required,omitempty"`
}

// clone returns m with slices of its own.
func (m Metadata) clone() Metadata {
	c := m
	c.AuthorizationServers = append([]string(nil), m.AuthorizationServers...)
	c.ScopesSupported = append([]string(nil), m.ScopesSupported...)
	c.BearerMethodsSupported = append([]string(nil), m.BearerMethodsSupported...)
	c.DPoPSigningAlgValuesSupported = append([]string(nil), m.DPoPSigningAlgValuesSupported...)
	return c
}
