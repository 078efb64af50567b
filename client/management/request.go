package management

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/internal/rest"
)

// apiPrefix is the path of the Management API v2 under the base URL.
const apiPrefix = "/api/v2"

// ErrEmptyParameter is returned (wrapped) when a path parameter (an ID, a
// name) is empty: an empty ID would address another endpoint
// (DELETE /users/ instead of DELETE /users/{id}), so nothing is sent.
var ErrEmptyParameter = errors.New("management: empty path parameter")

// endpoint is an API path under /api/v2: its template, as the API
// reference writes it ("/users/{id}/roles"), and the values of its
// {parameters} in order, unescaped. The template names the endpoint in the
// client's hooks (client.RequestEvent.Route, a bounded label, "/api/v2"
// prefixed); the values are escaped into the path that is sent.
type endpoint struct {
	template string
	params   []string
}

// route is the endpoint of template with the values of its parameters:
// route("/users/{id}/roles", id). A template holds no "{" or "}" but
// around its parameters, and has as many parameters as values.
func route(template string, params ...string) endpoint {
	return endpoint{template, params}
}

// segments returns the endpoint's path segments under /api/v2, each value
// unescaped, or an error when a value is empty (it would address another
// endpoint) or the template and the values disagree (a bug here).
func (e endpoint) segments() ([]string, error) {
	parts := strings.Split(strings.TrimPrefix(e.template, "/"), "/")
	n := 0
	for i, p := range parts {
		if !strings.HasPrefix(p, "{") {
			continue
		}
		if n >= len(e.params) {
			return nil, fmt.Errorf("management: %s: more parameters than values", e.template)
		}
		if e.params[n] == "" {
			return nil, fmt.Errorf("%w in %s", ErrEmptyParameter, e.template)
		}
		parts[i] = e.params[n]
		n++
	}
	if n != len(e.params) {
		return nil, fmt.Errorf("management: %s: more values than parameters", e.template)
	}
	return parts, nil
}

// resource is the first segment of the endpoint ("/users"), for messages.
func (e endpoint) resource() string {
	first, _, _ := strings.Cut(strings.TrimPrefix(e.template, "/"), "/")
	return "/" + first
}

// path lists the segments of an endpoint under /api/v2, each given
// unescaped: path("users", id, "roles"), for the tests of
// customDomainAllowed.
func path(segments ...string) []string { return segments }

// request is one Management API call.
type request struct {
	method string
	path   endpoint
	query  url.Values // nil for none
	body   any        // JSON body; nil for none
	// raw, when set, is sent instead of body with the Content-Type
	// contentType (multipart uploads).
	raw         []byte
	contentType string
}

// do sends r and decodes a 2xx JSON answer into out (nil discards it; a
// *[]byte receives the raw body). Every resource method goes through it: it
// escapes the path, adds the token and the custom-domain header, and on a
// 401 with a refreshable token drops the token and retries once.
func (m *Management) do(ctx context.Context, r request, out any) error {
	segments, err := r.path.segments()
	if err != nil {
		return err
	}
	escaped, err := escapePath(segments)
	if err != nil {
		return err
	}
	if v := reflect.ValueOf(r.body); r.body != nil && v.Kind() == reflect.Pointer && v.IsNil() {
		return fmt.Errorf("management: %s %s: nil request body", r.method, "/"+strings.Join(segments[:1], "/"))
	}
	req := &rest.Request{
		Method: r.method,
		Path:   escaped,
		Route:  apiPrefix + r.path.template,
		Query:  r.query,
		JSON:   r.body,
		Header: make(http.Header, 3),
	}
	if len(segments) > 0 {
		req.Class = segments[0] // the resource: its rate budget's endpoint class
	}
	if r.raw != nil {
		req.JSON, req.Body = nil, r.raw
		req.Header.Set("Content-Type", r.contentType)
	}
	if m.customDomain != "" && customDomainAllowed(segments) {
		req.Header.Set("Auth0-Custom-Domain", m.customDomain)
	}
	for attempt := 0; ; attempt++ {
		tok, err := m.tokens.token(ctx)
		if err != nil {
			return err // never send a request without a token
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		_, err = m.rest.Do(ctx, req, out)
		var apiErr *client.Error
		if attempt == 0 && errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusUnauthorized && m.tokens.invalidate(ctx, tok) {
			continue // the token expired or was revoked early: one retry with a new one
		}
		return err
	}
}

// customDomainEndpoints are the endpoints that take the Auth0-Custom-Domain
// header (Config.CustomDomain), because they build links with the
// tenant's domain: the whitelist of the Auth0 Python SDK 5.x
// (management_client.py), as unescaped segments under /api/v2, where "*"
// is one path segment. Every other request is sent without the header.
var customDomainEndpoints = [...][]string{
	{"jobs", "verification-email"},
	{"tickets", "email-verification"},
	{"tickets", "password-change"},
	{"organizations", "*", "invitations"},
	{"users"},
	{"users", "*"},
	{"guardian", "enrollments", "ticket"},
	{"self-service-profiles", "*", "sso-ticket"},
}

// customDomainAllowed reports whether the endpoint (unescaped segments
// under /api/v2) is one of customDomainEndpoints.
func customDomainAllowed(segments []string) bool {
	for _, pattern := range customDomainEndpoints {
		if matchSegments(pattern, segments) {
			return true
		}
	}
	return false
}

func matchSegments(pattern, segments []string) bool {
	if len(pattern) != len(segments) {
		return false
	}
	for i, p := range pattern {
		if p != "*" && p != segments[i] {
			return false
		}
	}
	return true
}

// escapePath joins the segments under /api/v2, each escaped with
// url.PathEscape, so an ID holding "/", "?" or "#" stays one segment.
func escapePath(segments []string) (string, error) {
	var b strings.Builder
	b.WriteString(apiPrefix)
	for _, s := range segments {
		if s == "" {
			return "", fmt.Errorf("%w in /%s", ErrEmptyParameter, strings.Join(segments, "/"))
		}
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String(), nil
}

// call sends r and decodes the answer into a new T.
func call[T any](ctx context.Context, m *Management, r request) (*T, error) {
	out := new(T)
	if err := m.do(ctx, r, out); err != nil {
		return nil, err
	}
	return out, nil
}

// list sends r and decodes a list answer whose object shape holds the items
// under key.
func list[T any](ctx context.Context, m *Management, r request, key string) (*Page[T], error) {
	var raw []byte
	if err := m.do(ctx, r, &raw); err != nil {
		return nil, err
	}
	return decodePage[T](raw, key)
}

// deref returns *p, or the zero T for nil (options are optional).
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// idList is a body listing IDs under one name: {"roles": [...]},
// {"members": [...]}, {"users": [...]}. A nil list is sent as [].
type idList map[string][]string

func (l idList) MarshalJSON() ([]byte, error) {
	m := make(map[string][]string, len(l))
	for k, v := range l {
		if v == nil {
			v = []string{}
		}
		m[k] = v
	}
	return json.Marshal(m)
}

// permissionList is the body {"permissions": [...]}; nil is sent as [].
type permissionList []*Permission

func (l permissionList) MarshalJSON() ([]byte, error) {
	if l == nil {
		l = permissionList{}
	}
	return json.Marshal(struct {
		Permissions []*Permission `json:"permissions"`
	}{[]*Permission(l)})
}
