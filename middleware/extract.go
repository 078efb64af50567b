package middleware

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/tokengate/tokengate/internal/bearer"
)

// ErrInvalidRequest is wrapped by every error of the default extractor: the
// request's credentials are malformed or ambiguous (RFC 6750 invalid_request).
var ErrInvalidRequest = errors.New("middleware: invalid request")

// The extractor's errors. They name the defect, never the token.
var (
	errTwoAuthorization = fmt.Errorf("%w: more than one Authorization header", ErrInvalidRequest)
	errEmptyBearer      = fmt.Errorf("%w: Bearer scheme without a token", ErrInvalidRequest)
	errMalformedBearer  = fmt.Errorf("%w: malformed Bearer credentials", ErrInvalidRequest)
	errAmbiguous        = fmt.Errorf("%w: token in more than one place", ErrInvalidRequest)
	errEmptyQuery       = fmt.Errorf("%w: access_token parameter without a token", ErrInvalidRequest)
	errMalformedToken   = fmt.Errorf("%w: token with characters outside RFC 6750's b64token", ErrInvalidRequest)

	// errOtherScheme is internal: an Authorization header with a scheme
	// other than Bearer carries no bearer token (RFC 7235: it may be meant
	// for another layer).
	errOtherScheme = errors.New("middleware: Authorization scheme is not Bearer")
)

// splitBearer reads one Authorization field value: the scheme "Bearer",
// matched case-insensitively (RFC 9110 section 11.1), exactly one space and a
// non-empty token without spaces. It returns errOtherScheme for another
// scheme.
//
// It does not check the token's characters against RFC 6750's b64token: a
// token that verifies is a compact JWS, made of b64token characters only, so
// Authenticate runs isB64Token only after Verify failed, to answer a
// malformed token with invalid_request rather than invalid_token. That
// keeps a byte-by-byte scan of every token off the success path.
func splitBearer(v string) (string, error) { return splitScheme(v, "Bearer") }

// splitScheme is splitBearer for any scheme ("DPoP" too, RFC 9449 section
// 7.1: the same syntax). The grammar is package bearer's, shared with the
// grpcauth module.
func splitScheme(v, scheme string) (string, error) {
	tok, d := bearer.Split(v, scheme)
	switch d {
	case bearer.OtherScheme:
		return "", errOtherScheme
	case bearer.Empty:
		return "", errEmptyBearer
	case bearer.Malformed:
		return "", errMalformedBearer
	}
	return tok, nil
}

// isB64Token reports whether s matches RFC 6750's b64token
// (bearer.IsB64Token). Authenticate runs it only after Verify failed (see
// splitBearer), to tell a malformed token from an invalid one.
func isB64Token(s string) bool { return bearer.IsB64Token(s) }

// source is where the default extractor found the token.
type source uint8

const (
	fromNone source = iota
	fromHeader
	fromCookie
	fromQuery
)

// extract is the default TokenExtractor with the configured cookie and
// query parameter. The token's characters are checked by Authenticate after
// Verify failed (see splitBearer). It reports where the token came from,
// and otherScheme when an Authorization header with another scheme was
// present and no token was found.
func (c *config) extract(r *http.Request) (tok string, from source, otherScheme bool, err error) {
	switch h := r.Header["Authorization"]; len(h) {
	case 0:
	case 1:
		tok, err = splitBearer(h[0])
		if err == errOtherScheme {
			otherScheme, err = true, nil
		}
		if err != nil {
			return "", fromNone, false, err
		}
		if tok != "" {
			from = fromHeader
		}
	default:
		return "", fromNone, false, errTwoAuthorization
	}
	if c.cookie != "" {
		ct, err := cookieToken(r, c.cookie)
		if err != nil {
			return "", fromNone, false, err
		}
		if ct != "" {
			if tok != "" {
				return "", fromNone, false, errAmbiguous
			}
			tok, from = ct, fromCookie
		}
	}
	if !c.query {
		// W1: a downstream handler or proxy that reads the parameter
		// itself must not see a second token next to the one we checked.
		if tok != "" && hasQueryToken(r) {
			return "", fromNone, false, errAmbiguous
		}
	} else {
		qt, err := queryToken(r)
		if err != nil {
			return "", fromNone, false, err
		}
		if qt != "" {
			if tok != "" {
				return "", fromNone, false, errAmbiguous
			}
			tok, from = qt, fromQuery
		}
	}
	return tok, from, otherScheme && tok == "", nil
}

func cookieToken(r *http.Request, name string) (string, error) {
	if len(r.Header["Cookie"]) == 0 {
		return "", nil
	}
	var tok string
	n := 0
	for _, ck := range r.CookiesNamed(name) {
		if ck.Value == "" {
			continue // a cleared cookie is no token
		}
		if n++; n > 1 {
			return "", errAmbiguous
		}
		tok = ck.Value
	}
	return tok, nil
}

func queryToken(r *http.Request) (string, error) {
	if r.URL == nil || r.URL.RawQuery == "" {
		return "", nil
	}
	vals, ok := r.URL.Query()["access_token"]
	if !ok {
		return "", nil
	}
	if len(vals) > 1 {
		return "", errAmbiguous
	}
	if vals[0] == "" {
		return "", errEmptyQuery
	}
	return vals[0], nil
}

// hasQueryToken reports whether the query has an access_token parameter,
// parsing it only when it might (the name, or any percent-encoding).
func hasQueryToken(r *http.Request) bool {
	if r.URL == nil {
		return false
	}
	q := r.URL.RawQuery
	if !strings.Contains(q, "access_token") && !strings.Contains(q, "%") {
		return false
	}
	_, ok := r.URL.Query()["access_token"]
	return ok
}
