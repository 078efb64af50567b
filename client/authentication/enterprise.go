package authentication

import (
	"context"
	"net/http"
	"net/url"
)

// SAMLMetadata returns the SAML identity provider metadata (XML) of the
// application (Python Enterprise.saml_metadata).
func (c *Client) SAMLMetadata(ctx context.Context) (string, error) {
	if err := c.needClientID(); err != nil {
		return "", err
	}
	return c.text(ctx, "/samlp/metadata/"+url.PathEscape(c.clientID), "/samlp/metadata/{client_id}")
}

// WSFedMetadata returns the tenant's WS-Federation metadata (XML) (Python
// Enterprise.wsfed_metadata).
func (c *Client) WSFedMetadata(ctx context.Context) (string, error) {
	return c.text(ctx, "/wsfed/FederationMetadata/2007-06/FederationMetadata.xml", "")
}

func (c *Client) text(ctx context.Context, path, route string) (string, error) {
	var s string
	if _, err := c.do(ctx, call{method: http.MethodGet, path: path, route: route}, &s); err != nil {
		return "", err
	}
	return s, nil
}
