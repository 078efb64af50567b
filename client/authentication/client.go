package authentication

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"time"

	"github.com/tokengate/tokengate/client/internal/rest"
	"github.com/tokengate/tokengate/verifier"
)

// ErrNoClientID is returned by the methods that need a client ID when the
// Config had no ClientID.
var ErrNoClientID = errors.New("authentication: no client ID configured")

// Client calls the Authentication API of one tenant as one application.
// It is safe for concurrent use.
type Client struct {
	rest     *rest.Client
	baseURL  string
	clientID string
	secret   string
	signer   *signer
	verifier *verifier.Verifier
	now      func() time.Time
}

// String describes the Client without its credentials, so printing it
// never leaks a secret.
func (c *Client) String() string {
	var alg string
	if c.signer != nil {
		alg = c.signer.alg.String()
	}
	return fmt.Sprintf("authentication.Client{%s client_id=%q auth=%s}", c.baseURL, c.clientID, authKind(c.signer != nil, alg, c.secret != ""))
}

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }

// ClientID returns the configured client ID.
func (c *Client) ClientID() string { return c.clientID }

// call is one endpoint call before client authentication is added.
type call struct {
	method string
	path   string
	route  string         // the path template, when path holds a value (client.RequestEvent.Route); default path
	form   url.Values     // form body, or
	json   map[string]any // JSON body
	header http.Header
	auth   bool // add client authentication (secret or assertion)
}

// do sends the call; with private_key_jwt the request is rebuilt for each
// retry so that every attempt carries a fresh assertion.
func (c *Client) do(ctx context.Context, k call, out any) (*rest.Response, error) {
	build := func() (*rest.Request, error) {
		r := &rest.Request{Method: k.method, Path: k.path, Route: k.route, Header: k.header}
		if k.form != nil {
			r.Form = maps.Clone(k.form)
		}
		if k.json != nil {
			r.JSON = maps.Clone(k.json)
		}
		if !k.auth {
			return r, nil
		}
		set := func(name, value string) {
			if r.Form != nil {
				r.Form.Set(name, value)
			} else if r.JSON != nil {
				r.JSON.(map[string]any)[name] = value
			}
		}
		switch {
		case c.signer != nil:
			a, err := c.signer.assertion()
			if err != nil {
				return nil, err
			}
			set("client_assertion", a)
			set("client_assertion_type", AssertionType)
		case c.secret != "":
			set("client_secret", c.secret)
		}
		return r, nil
	}
	r, err := build()
	if err != nil {
		return nil, err
	}
	if k.auth && c.signer != nil {
		r.Rebuild = build
	}
	return c.rest.Do(ctx, r, out)
}

// needClientID is the guard of the endpoints that send client_id.
func (c *Client) needClientID() error {
	if c.clientID == "" {
		return ErrNoClientID
	}
	return nil
}

// addExtra copies extra parameters into form, refusing any that would
// replace a parameter this package sets.
func addExtra(form, extra url.Values) error {
	for k, vs := range extra {
		if _, taken := form[k]; taken || k == "client_secret" || k == "client_assertion" || k == "client_assertion_type" {
			return fmt.Errorf("authentication: extra parameter %q would replace one this package sets", k)
		}
		form[k] = append([]string(nil), vs...)
	}
	return nil
}

// setIf sets form[k] when v is not empty (optional parameters are omitted,
// never sent empty or null).
func setIf(form url.Values, k, v string) {
	if v != "" {
		form.Set(k, v)
	}
}
