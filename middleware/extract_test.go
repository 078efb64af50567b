package middleware

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// White-box tests of the default extractor; the HTTP-level behaviour is
// tested through servers in security_test.go (W1-W3).

// parseAuthorization is the full RFC 6750 grammar as Authenticate applies
// it: splitBearer on every request, isB64Token once Verify failed.
func parseAuthorization(v string) (string, error) {
	tok, err := splitBearer(v)
	if err == nil && !isB64Token(tok) {
		return "", errMalformedToken
	}
	return tok, err
}

var parseCases = []struct {
	in  string
	tok string
	err error
}{
	{"Bearer abc.def.ghi", "abc.def.ghi", nil},
	{"bearer abc", "abc", nil},
	{"BEARER abc", "abc", nil},
	{"Bearer a-b_c~d+e/f==", "a-b_c~d+e/f==", nil},
	{"Bearer", "", errEmptyBearer},
	{"Bearer ", "", errEmptyBearer},
	{"Bearer  abc", "", errMalformedBearer},
	{"Bearer abc ", "", errMalformedBearer},
	{"Bearer\tabc", "", errMalformedBearer},
	{"Bearer a b", "", errMalformedBearer},
	{"Bearer a,b", "", errMalformedToken},
	{"Bearer =abc", "", errMalformedToken},
	{"Bearer a=b", "", errMalformedToken},
	{"Bearer \"abc\"", "", errMalformedToken},
	{"Bearer abc\x00", "", errMalformedToken},
	{"Bearer é", "", errMalformedToken},
	{"Basic dXNlcjpwYXNz", "", errOtherScheme},
	{"Bearers abc", "", errOtherScheme},
	{"Bear abc", "", errOtherScheme},
	{"", "", errOtherScheme},
	{" Bearer abc", "", errOtherScheme},
}

func TestParseAuthorization(t *testing.T) {
	for _, tt := range parseCases {
		t.Run(tt.in, func(t *testing.T) {
			tok, err := parseAuthorization(tt.in)
			if tok != tt.tok || err != tt.err {
				t.Errorf("parseAuthorization(%q): got %q, %v, want %q, %v", tt.in, tok, err, tt.tok, tt.err)
			}
		})
	}
}

func TestSplitBearerAllocs(t *testing.T) {
	v := "Bearer " + strings.Repeat("a", 1000)
	if n := testing.AllocsPerRun(100, func() { splitBearer(v) }); n != 0 {
		t.Errorf("allocations: got %v, want 0", n)
	}
}

// FuzzParseAuthorization: never panics; a token is returned exactly when the
// value is "Bearer" (any case), one space and a b64token, and is that token.
func FuzzParseAuthorization(f *testing.F) {
	for _, tt := range parseCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, v string) {
		tok, err := parseAuthorization(v)
		if (tok == "") == (err == nil) {
			t.Fatalf("parseAuthorization(%q): got %q, %v: exactly one of token and error", v, tok, err)
		}
		if err != nil {
			if err != errOtherScheme && !errors.Is(err, ErrInvalidRequest) {
				t.Fatalf("parseAuthorization(%q): error %v wraps neither", v, err)
			}
			return
		}
		if !strings.EqualFold(v, "Bearer "+tok) || len(v) != len("Bearer ")+len(tok) {
			t.Fatalf("parseAuthorization(%q): token %q is not the rest of the value", v, tok)
		}
		if strings.ContainsAny(tok, " \t\r\n,\"\\") {
			t.Fatalf("parseAuthorization(%q): token %q has a separator", v, tok)
		}
	})
}

// FuzzExtract runs the whole default extractor (header, cookie, query) on
// arbitrary inputs: it never panics, and a token found comes from exactly
// one place.
func FuzzExtract(f *testing.F) {
	f.Add("Bearer abc", "", "")
	f.Add("Bearer abc", "at=abc", "")
	f.Add("", "at=abc; at=def", "")
	f.Add("", "", "access_token=abc")
	f.Add("Bearer abc", "", "access_token=abc")
	f.Add("Basic x", "at=", "access%5Ftoken=x&access_token=")
	c := &config{cookie: "at", query: true}
	plain := &config{}
	f.Fuzz(func(t *testing.T, auth, cookie, query string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.URL.RawQuery = query
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		if cookie != "" {
			r.Header.Set("Cookie", cookie)
		}
		for _, cfg := range []*config{c, plain} {
			tok, from, other, err := cfg.extract(r)
			if err != nil {
				if tok != "" || from != fromNone || other || !errors.Is(err, ErrInvalidRequest) {
					t.Fatalf("extract: got %q, %v, %v, %v", tok, from, other, err)
				}
				continue
			}
			if tok != "" && other {
				t.Fatalf("extract: got %q and another scheme", tok)
			}
			if (tok == "") != (from == fromNone) {
				t.Fatalf("extract: got %q from %v", tok, from)
			}
			// A token from the header has no spaces; cookie and query
			// values may, and fail isB64Token once Verify refused them.
			if h, _ := splitBearer(auth); tok != "" && h != "" && (tok != h || strings.ContainsRune(tok, ' ')) {
				t.Fatalf("extract: got %q, want the header's %q", tok, h)
			}
		}
	})
}

func TestExtractTwoHeaders(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header["Authorization"] = []string{"Bearer a", "Bearer a"}
	if _, _, _, err := (&config{}).extract(r); err != errTwoAuthorization {
		t.Errorf("got %v, want %v", err, errTwoAuthorization)
	}
	r.Header = http.Header{}
	if tok, _, other, err := (&config{}).extract(r); tok != "" || other || err != nil {
		t.Errorf("no header: got %q, %v, %v, want nothing", tok, other, err)
	}
}
