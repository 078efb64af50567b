package middleware

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/tokengate/tokengate/internal/httpx"
)

// WithResourceMetadata adds resource_metadata="<metadataURL>" (RFC 9728
// section 5.1) to every WWW-Authenticate challenge this Authenticate and the
// route checks after it write: the 401s, the 403 insufficient_scope, and
// both the Bearer and the DPoP challenge with WithDPoP. A client that is
// refused learns where the protected resource's metadata is, and from it
// which authorization server to ask for a token (the MCP authorization
// flow starts so). metadataURL is where that metadata is served, usually
// the URL of a resource.Handler (its URL method).
//
// metadataURL must be an absolute https URL (http only on a loopback host),
// without user info or fragment, and printable ASCII without '"', '\' or
// spaces, so that it goes into the quoted-string as it is. Authenticate
// panics otherwise, when it is built.
func WithResourceMetadata(metadataURL string) Option {
	return func(c *config) { c.resourceMetadata, c.resourceMetadataSet = metadataURL, true }
}

// checkResourceMetadata validates WithResourceMetadata when Authenticate is
// built.
func (c *config) checkResourceMetadata() {
	if !c.resourceMetadataSet {
		return
	}
	if err := checkMetadataURL(c.resourceMetadata); err != nil {
		panic(fmt.Sprintf("middleware: WithResourceMetadata(%q): %v", c.resourceMetadata, err))
	}
}

func checkMetadataURL(s string) error {
	if s == "" || !validQuoted(s) || strings.IndexByte(s, ' ') >= 0 {
		return errors.New("not printable ASCII without spaces, '\"' or '\\'")
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return err
	case u.Scheme != "https" && !(u.Scheme == "http" && httpx.IsLoopback(u.Hostname())):
		return errors.New("want an absolute https URL (http only on a loopback host)")
	case u.Host == "" || u.Hostname() == "":
		return errors.New("no host")
	case u.User != nil:
		return errors.New("user info is not allowed")
	case strings.IndexByte(s, '#') >= 0:
		return errors.New("a fragment is not allowed")
	}
	return nil
}

// authParams is the part of every challenge of this configuration after
// the scheme: the realm and, with WithResourceMetadata, resource_metadata.
func (c *config) authParams() string {
	p := `realm="` + c.realm + `"`
	if c.resourceMetadataSet {
		p += `, resource_metadata="` + c.resourceMetadata + `"`
	}
	return p
}
