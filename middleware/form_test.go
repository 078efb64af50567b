package middleware

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/iotest"
)

// FuzzFormToken: hasFormToken finds access_token exactly when a form parser
// splitting on '&' and ';' would (url.ParseQuery after turning ';' into '&'),
// never panics; formToken hands on the body byte for byte.
func FuzzFormToken(f *testing.F) {
	for _, s := range []string{"access_token=x", "a=1&access%5Ftoken=2", "a=1;access_token", "%zz=1&access_token=%zz",
		"access+token=1", "access_token%", "x=" + strings.Repeat("a", 100) + "&access_token=", "%61ccess_token=1"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got := hasFormToken(b)
		want := false
		for _, pair := range strings.FieldsFunc(string(b), func(r rune) bool { return r == '&' || r == ';' }) {
			name, _, _ := strings.Cut(pair, "=")
			if k, err := url.QueryUnescape(name); err == nil && k == "access_token" {
				want = true
			}
		}
		if got != want {
			t.Fatalf("hasFormToken(%q): got %v, want %v", b, got, want)
		}
		r, _ := http.NewRequest("POST", "/", bytes.NewReader(b))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		found, body := formToken(r)
		if found != got {
			t.Fatalf("formToken(%q): got %v, want %v", b, found, got)
		}
		if found {
			return
		}
		out, err := io.ReadAll(body)
		if err != nil || !bytes.Equal(out, b) {
			t.Fatalf("restored body: got %q, %v, want %q", out, err, b)
		}
	})
}

// TestFormTokenRestore: large bodies, bodies read in pieces and bodies that
// fail midway reach the handler as they were sent, the failure included.
func TestFormTokenRestore(t *testing.T) {
	big := bytes.Repeat([]byte("a=1&"), maxFormScan) // 4 × the bound
	errBroken := errors.New("connection reset")
	tests := []struct {
		name    string
		body    io.Reader
		want    []byte
		wantErr error
	}{
		{"exactly the bound", bytes.NewReader(big[:maxFormScan]), big[:maxFormScan], nil},
		{"one past the bound", bytes.NewReader(big[:maxFormScan+1]), big[:maxFormScan+1], nil},
		{"large", bytes.NewReader(big), big, nil},
		{"one byte at a time", iotest.OneByteReader(bytes.NewReader(big[:1000])), big[:1000], nil},
		{"fails midway", io.MultiReader(bytes.NewReader(big[:100]), iotest.ErrReader(errBroken)), big[:100], errBroken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := http.NewRequest("POST", "/", tt.body)
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			found, body := formToken(r)
			if found || body == nil {
				t.Fatalf("formToken: got %v, %v, want false and a body", found, body)
			}
			out, err := io.ReadAll(body)
			if !bytes.Equal(out, tt.want) || !errors.Is(err, tt.wantErr) {
				t.Errorf("restored body: got %d bytes, %v, want %d bytes, %v", len(out), err, len(tt.want), tt.wantErr)
			}
		})
	}
}
