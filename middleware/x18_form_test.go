package middleware_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/middleware"
)

// bodyEcho answers with the length and hash of the body it read, so that a
// test sees whether the handler got the request body byte for byte.
var bodyEcho = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	fmt.Fprintf(w, "%d %x", len(b), sha256.Sum256(b))
})

func digest(b []byte) string { return fmt.Sprintf("%d %x", len(b), sha256.Sum256(b)) }

const form = "application/x-www-form-urlencoded"

// sendBody sends method with the body from r (chunked when length < 0).
func sendBody(t *testing.T, url, method string, header http.Header, body io.Reader, length int64) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = length
	if length < 0 {
		req.ContentLength = -1 // chunked
	}
	req.Header = header.Clone()
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// TestX18FormBodyToken: a token in the Authorization header (or a cookie)
// next to an access_token member of a url-encoded form body is ambiguous
// (RFC 6750 section 2: one method only) and refused as invalid_request, as
// header and query are. The body the handler reads is the one sent, byte
// for byte, whether it was checked or not.
func TestX18FormBodyToken(t *testing.T) {
	good := token(t, nil)
	v := newVerifier(t, nil)
	srv := server(t, middleware.Authenticate(v, middleware.WithCookie("at"))(bodyEcho))
	hdr := func(ct string) http.Header {
		h := http.Header{"Authorization": {"Bearer " + good}}
		if ct != "" {
			h.Set("Content-Type", ct)
		}
		return h
	}
	bad := want{401, chBadRequest, bodyBadRequest, ""}
	big := bytes.Repeat([]byte("a"), 1<<20)
	padded := func(prefix, suffix string, n int) []byte {
		return append(append([]byte(prefix+"pad="), bytes.Repeat([]byte("x"), n)...), suffix...)
	}
	tests := []struct {
		name    string
		method  string
		header  http.Header
		body    []byte
		chunked bool
		refused bool
	}{
		{"form token", "POST", hdr(form), []byte("access_token=" + good), false, true},
		{"form token among others", "POST", hdr(form), []byte("a=1&access_token=x&b=2"), false, true},
		{"media type in any case, with charset", "POST", hdr("Application/X-WWW-Form-URLEncoded ; charset=UTF-8"), []byte("access_token=x"), false, true},
		{"percent-encoded name", "POST", hdr(form), []byte("access%5ftoken=x"), false, true},
		{"semicolon separator", "POST", hdr(form), []byte("a=1;access_token=x"), false, true},
		{"repeated", "POST", hdr(form), []byte("access_token=x&access_token=y"), false, true},
		{"empty value", "POST", hdr(form), []byte("access_token="), false, true},
		{"no value", "POST", hdr(form), []byte("a=1&access_token"), false, true},
		{"malformed value", "POST", hdr(form), []byte("access_token=%zz"), false, true},
		{"malformed neighbour", "POST", hdr(form), []byte("x=%zz&access_token=1"), false, true},
		{"chunked", "POST", hdr(form), []byte("a=1&access_token=x"), true, true},
		{"within the first 64 KiB of a large body", "POST", hdr(form), padded("access_token=x&", "", 1<<20), false, true},
		{"PUT", "PUT", hdr(form), []byte("access_token=x"), false, true},
		{"GET with a form body", "GET", hdr(form), []byte("access_token=x"), false, true},
		{"cookie token", "POST", http.Header{"Cookie": {"at=" + good}, "Content-Type": {form}, "Sec-Fetch-Site": {"same-origin"}}, []byte("access_token=x"), false, true},
		{"malformed name only", "POST", hdr(form), []byte("%zz=1&access_tokenx=1&xaccess_token=2"), false, false},
		{"name with a plus", "POST", hdr(form), []byte("access+token=1&access_token+=2"), false, false},
		{"other members", "POST", hdr(form), []byte("a=1&b=access_token"), false, false},
		{"after the first 64 KiB: not read for it", "POST", hdr(form), padded("", "&access_token=x", 1<<16), false, false},
		{"huge body", "POST", hdr(form), big, false, false},
		{"huge chunked body", "POST", hdr(form), big, true, false},
		{"JSON body", "POST", hdr("application/json"), []byte(`{"access_token":"x"}`), false, false},
		{"no content type", "POST", hdr(""), []byte("access_token=x"), false, false},
		{"multipart", "POST", hdr("multipart/form-data; boundary=x"), []byte("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--\r\n"), false, false},
		{"malformed content type", "POST", hdr("application/x-www-form-urlencoded; ="), []byte("access_token=x"), false, true},
		{"empty form", "POST", hdr(form), nil, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			length := int64(len(tt.body))
			if tt.chunked {
				length = -1
			}
			resp, body := sendBody(t, srv.URL+"/", tt.method, tt.header, bytes.NewReader(tt.body), length)
			if tt.refused {
				checkResponse(t, resp, body, bad)
				return
			}
			checkResponse(t, resp, body, want{200, "", digest(tt.body), ""})
		})
	}
	t.Run("form token only: not a token source", func(t *testing.T) {
		resp, body := sendBody(t, srv.URL+"/", "POST", http.Header{"Content-Type": {form}}, strings.NewReader("access_token="+good), -1)
		checkResponse(t, resp, body, want{401, chMissing, bodyMissing, ""})
	})
}

// TestX18SlowBody: a body that arrives in small pieces is still checked,
// and restored whole when it holds no token.
func TestX18SlowBody(t *testing.T) {
	good := token(t, nil)
	srv := server(t, middleware.Authenticate(newVerifier(t, nil))(bodyEcho))
	for _, tt := range []struct {
		name    string
		body    string
		refused bool
	}{
		{"token last", "a=1&b=2&access_token=x", true},
		{"no token", "a=1&b=2&access_tokem=x", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pr, pw := io.Pipe()
			go func() {
				for i := range len(tt.body) {
					time.Sleep(time.Millisecond)
					if _, err := pw.Write([]byte{tt.body[i]}); err != nil {
						return
					}
				}
				pw.Close()
			}()
			resp, body := sendBody(t, srv.URL+"/", "POST", http.Header{"Authorization": {"Bearer " + good}, "Content-Type": {form}}, pr, -1)
			pr.Close()
			if tt.refused {
				checkResponse(t, resp, body, want{401, chBadRequest, bodyBadRequest, ""})
				return
			}
			checkResponse(t, resp, body, want{200, "", digest([]byte(tt.body)), ""})
		})
	}
}
