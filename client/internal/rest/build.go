package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// prepared is a Request validated and encoded once, re-sendable as is.
type prepared struct {
	method      string
	path        string // for error messages (no query)
	route       string // the path template, for the hooks (Request.Route)
	url         string
	redactedURL string
	body        []byte
	contentType string
	header      http.Header
	idempotent  bool
	scrubber    *scrubber // removes the request's secrets (secretForms)
	secretsDone bool
	opaqueBody  bool // Request.Body: never shown in debug events
	secretBody  bool // isSecretBody: request and answer bodies are all secret
}

// prepare validates r and encodes its URL, headers and body.
func (c *Client) prepare(r *Request) (*prepared, error) {
	if r == nil {
		return nil, errors.New(errPrefix + "nil request")
	}
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	if !validMethod(method) {
		return nil, fmt.Errorf(errPrefix+"invalid method %q", method)
	}
	if err := checkPath(r.Path); err != nil {
		return nil, err
	}
	u, err := url.Parse(c.baseStr + r.Path)
	if err != nil {
		return nil, fmt.Errorf(errPrefix+"invalid path: %w", err)
	}
	if len(r.Query) > 0 {
		u.RawQuery = r.Query.Encode()
	}
	route := r.Route
	if route == "" {
		route = r.Path
	}
	p := &prepared{
		method:      method,
		path:        r.Path,
		route:       route,
		url:         u.String(),
		redactedURL: redactURL(u),
		header:      make(http.Header, 4+len(r.Header)),
		secretBody:  isSecretBody(r.Path),
	}
	if err := p.encodeBody(r); err != nil {
		return nil, err
	}
	if p.contentType != "" {
		p.header.Set("Content-Type", p.contentType)
	}
	if c.telemetry != "" {
		p.header.Set("Auth0-Client", c.telemetry)
	}
	if c.userAgent != "" {
		p.header.Set("User-Agent", c.userAgent)
	}
	for k, vs := range r.Header {
		p.header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	if ct := p.header.Get("Content-Type"); ct != "" {
		p.contentType = ct
	}
	if r.Idempotent != nil {
		p.idempotent = *r.Idempotent
	} else {
		switch method {
		case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
			p.idempotent = true
		}
	}
	return p, nil
}

// encodeBody encodes the one body of r: JSON, Form or Body.
func (p *prepared) encodeBody(r *Request) error {
	if (r.JSON != nil && r.Form != nil) || (r.JSON != nil || r.Form != nil) && r.Body != nil {
		return errors.New(errPrefix + "a request has one of JSON, Form or Body, not several")
	}
	switch {
	case r.JSON != nil:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r.JSON); err != nil {
			return fmt.Errorf(errPrefix+"encoding the JSON body: %w", err)
		}
		p.body = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		p.contentType = "application/json"
	case r.Form != nil:
		p.body = []byte(r.Form.Encode())
		p.contentType = "application/x-www-form-urlencoded"
	case r.Body != nil:
		if r.Header.Get("Content-Type") == "" {
			return errors.New(errPrefix + "a Body needs a Content-Type header")
		}
		p.body = r.Body
		p.opaqueBody = true
	}
	return nil
}

// rebuild prepares the request r.Rebuild returns for a retry; it keeps the
// idempotency of the first attempt.
func (c *Client) rebuild(r *Request, prev *prepared) (*prepared, error) {
	nr, err := r.Rebuild()
	if err != nil {
		return nil, fmt.Errorf("auth0: rebuilding the request to retry: %w", err)
	}
	p, err := c.prepare(nr)
	if err != nil {
		return nil, err
	}
	p.idempotent = prev.idempotent
	if nr.Route == "" {
		p.route = prev.route
	}
	return p, nil
}

// checkPath refuses paths that could leave the API's path space.
func checkPath(path string) error {
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
		return fmt.Errorf(errPrefix+"path %q must start with a single /", path)
	}
	if strings.ContainsAny(path, "?#\\") {
		return fmt.Errorf(errPrefix+"path %q contains ?, # or \\", path)
	}
	unescaped, err := url.PathUnescape(path)
	if err != nil {
		return fmt.Errorf(errPrefix+"path %q: %w", path, err)
	}
	for seg := range strings.SplitSeq(unescaped, "/") {
		if seg == "." || seg == ".." {
			return fmt.Errorf(errPrefix+"path %q has a dot segment", path)
		}
	}
	return nil
}

func validMethod(m string) bool {
	for i := 0; i < len(m); i++ {
		if c := m[i]; c < 'A' || c > 'Z' {
			return false
		}
	}
	return m != ""
}

// secrets returns the scrubber of the secret values of the request, in
// every form a server may echo them in (secretForms), made once, only when
// an error or debug output needs it: values under secret names in the JSON
// or form body and the query, every value of a secret body (isSecretBody),
// and credential headers.
func (p *prepared) secrets() *scrubber {
	if p.secretsDone {
		return p.scrubber
	}
	p.secretsDone = true
	var out []string
	if v, ok := decodeJSON(p.body); ok {
		out = collectJSONSecrets(v, "", p.secretBody, out)
	} else if isForm(p.contentType) {
		if q, err := url.ParseQuery(string(p.body)); err == nil {
			out = appendSecretValues(out, q, p.secretBody)
		}
	} else if p.secretBody && len(p.body) > 0 {
		out = append(out, string(p.body))
	}
	if u, err := url.Parse(p.url); err == nil {
		out = appendSecretValues(out, u.Query(), false)
	}
	for name, vs := range p.header {
		if isSecretHeader(name) {
			for _, v := range vs {
				out = append(out, v)
				if _, cred, ok := strings.Cut(v, " "); ok {
					out = append(out, strings.TrimSpace(cred))
				}
			}
		}
	}
	p.scrubber = newScrubber(out)
	return p.scrubber
}

func appendSecretValues(out []string, q url.Values, all bool) []string {
	for k, vs := range q {
		if all || IsSecretName(k) {
			out = append(out, vs...)
		}
	}
	return out
}
