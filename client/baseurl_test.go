package client

import (
	"errors"
	"testing"
)

func TestBaseURL(t *testing.T) {
	cases := []struct {
		in, want string
		wantErr  bool
	}{
		{"tenant.auth0.com", "https://tenant.auth0.com", false},
		{"tenant.eu.auth0.com:8443", "https://tenant.eu.auth0.com:8443", false},
		{"login.example.com", "https://login.example.com", false},
		{"https://tenant.auth0.com", "https://tenant.auth0.com", false},
		{"https://tenant.auth0.com/", "https://tenant.auth0.com", false},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", false},
		{"http://localhost:8080/", "http://localhost:8080", false},
		{"http://[::1]:8080", "http://[::1]:8080", false},
		{"https://proxy.example.com/auth0", "https://proxy.example.com/auth0", false},
		{"", "", true},
		{"tenant.auth0.com/path", "", true},
		{"tenant.auth0.com?x=1", "", true},
		{"user@tenant.auth0.com", "", true},
		{"tenant auth0.com", "", true},
		{"tenant.auth0.com:port", "", true},
		{":443", "", true},
		{"http://tenant.auth0.com", "", true},
		{"http://10.0.0.1:8080", "", true},
		{"http://[::ffff:127.0.0.1]:8080", "http://[::ffff:127.0.0.1]:8080", false},
		{"http://127.0.0.1.nip.io:8080", "", true},
		{"http://localhost.example.com", "", true},
		{"http://0.0.0.0:8080", "", true},
		{"http://[::1%25lo]:8080", "", true},
		{"ftp://tenant.auth0.com", "", true},
		{"https://", "", true},
		{"https://user:pw@tenant.auth0.com", "", true},
		{"https://tenant.auth0.com?x=1", "", true},
		{"https://tenant.auth0.com#frag", "", true},
		{"https://tenant.auth0.com/?", "", true},
		{"javascript://alert(1)", "", true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := BaseURL(tc.in)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("got %q, nil error; want an error", got)
				}
				if !errors.Is(err, ErrInvalidBaseURL) {
					t.Errorf("got error %v, want ErrInvalidBaseURL", err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q, nil", got, err, tc.want)
			}
		})
	}
}
