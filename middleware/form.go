package middleware

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
)

// maxFormScan bounds how much of a url-encoded body Authenticate reads to
// look for an access_token member.
const maxFormScan = 64 << 10

// errFormToken: a token in the Authorization header, cookie or query next
// to an access_token member of a form body.
var errFormToken = fmt.Errorf("%w: token in the form body and elsewhere", ErrInvalidRequest)

// formToken reports whether r's body is a url-encoded form whose first
// maxFormScan bytes hold an access_token member (RFC 6750 section 2.2;
// present even empty or without "=", in any of its encodings), and returns
// the body to hand to the next handler in place of r.Body: the bytes read,
// then the rest of the original body, so that the handler reads exactly
// what the client sent. body is nil when nothing was read.
//
// Tokens in form bodies are not accepted, so a request that has one next to
// the token it was authenticated with is ambiguous: a handler or proxy that
// reads the parameter itself would use another token than the one checked.
//
// Only the first maxFormScan bytes are read: a larger body is neither
// refused (large forms are legitimate) nor read in full (its memory would
// be the client's to choose). A member beyond the bound is not seen; the
// cost of finding it would be buffering or a streaming scanner in the
// handler's reads.
func formToken(r *http.Request) (found bool, body io.ReadCloser) {
	if !isForm(r.Header) {
		return false, nil
	}
	// Not httpx.ReadBody: a body over the bound is no error here, and every
	// byte read, the one past the bound too, is handed on to the handler.
	prefix, err := io.ReadAll(io.LimitReader(r.Body, maxFormScan+1))
	complete := err == nil && len(prefix) <= maxFormScan
	scan := prefix
	if !complete { // the last member may be cut: look only at whole ones
		scan = scan[:min(len(scan), maxFormScan)]
		if i := bytes.LastIndexAny(scan, "&;"); i >= 0 {
			scan = scan[:i]
		} else {
			scan = nil
		}
	}
	if hasFormToken(scan) {
		return true, nil
	}
	var rest io.Reader = r.Body
	if err != nil {
		rest = errReader{err} // the handler meets the read error where we did
	}
	return false, readCloser{io.MultiReader(bytes.NewReader(prefix), rest), r.Body}
}

// isForm reports whether a Content-Type of h is
// application/x-www-form-urlencoded, in any case, with any parameters; a
// type followed by malformed parameters counts, as net/http's ParseForm
// reads such bodies too.
func isForm(h http.Header) bool {
	for _, ct := range h["Content-Type"] {
		if len(ct) < len("application/x-www-form-urlencoded") {
			continue
		}
		if mt, _, _ := mime.ParseMediaType(ct); mt == "application/x-www-form-urlencoded" {
			return true
		}
	}
	return false
}

// hasFormToken reports whether the url-encoded form b has a member named
// access_token. Members are split on '&' and on ';' (which net/http no
// longer accepts but other parsers do), and names are decoded as forms are
// ('+' is a space, %XX a byte); a name that does not decode is not
// access_token under any decoder.
func hasFormToken(b []byte) bool {
	const name = "access_token"
	for len(b) > 0 {
		var pair []byte
		if i := bytes.IndexAny(b, "&;"); i >= 0 {
			pair, b = b[:i], b[i+1:]
		} else {
			pair, b = b, nil
		}
		if i := bytes.IndexByte(pair, '='); i >= 0 {
			pair = pair[:i]
		}
		if len(pair) < len(name) {
			continue
		}
		if string(pair) == name {
			return true
		}
		if bytes.IndexByte(pair, '%') < 0 || len(pair) > 3*len(name) {
			continue // '+' never decodes to a byte of the name
		}
		if k, err := url.QueryUnescape(string(pair)); err == nil && k == name {
			return true
		}
	}
	return false
}

type readCloser struct {
	io.Reader
	io.Closer
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// hasBody reports whether r may carry a body: net/http sets http.NoBody
// for requests without one, so requests without a body cost two
// comparisons.
func hasBody(r *http.Request) bool {
	return r.Body != nil && r.Body != http.NoBody
}
