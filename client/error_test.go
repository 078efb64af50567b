package client

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestErrorString(t *testing.T) {
	cases := []struct {
		name string
		err  *Error
		want string
	}{
		{"json", &Error{StatusCode: 403, Code: "invalid_grant", Message: "Invalid authorization code"}, "auth0: 403 invalid_grant: Invalid authorization code"},
		{"empty message uses status text", &Error{StatusCode: 503, Code: UnknownErrorCode}, "auth0: 503 a0.sdk.internal.unknown: Service Unavailable"},
		{"control characters removed", &Error{StatusCode: 400, Code: "a\x1b[31mb", Message: "x\ny\x00z"}, "auth0: 400 a[31mb: x yz"},
		{"invalid UTF-8 removed", &Error{StatusCode: 400, Code: "c", Message: "a\xffb"}, "auth0: 400 c: ab"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("long message cut", func(t *testing.T) {
		e := &Error{StatusCode: 400, Code: "c", Message: strings.Repeat("é", 1000)}
		got := e.Error()
		if len(got) > maxErrorText+64 {
			t.Errorf("len: got %d, want <= %d", len(got), maxErrorText+64)
		}
		if !utf8.ValidString(got) {
			t.Errorf("got invalid UTF-8 %q", got)
		}
	})
}

func TestRateLimitErrorUnwraps(t *testing.T) {
	e := &Error{StatusCode: 429, Code: "too_many_requests", Message: "Global limit has been reached"}
	cases := []struct {
		name    string
		resetAt time.Time
		want    string
	}{
		{"no reset", time.Time{}, "auth0: 429 too_many_requests: Global limit has been reached"},
		{"reset", time.Unix(1_700_000_030, 0), "auth0: 429 too_many_requests: Global limit has been reached (rate limit resets at 2023-11-14T22:13:50Z)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var err error = &RateLimitError{Err: e, ResetAt: tc.resetAt, Limit: -1, Remaining: -1}
			if got := err.Error(); got != tc.want {
				t.Errorf("Error(): got %q, want %q", got, tc.want)
			}
			var asErr *Error
			if !errors.As(err, &asErr) || asErr != e {
				t.Errorf("errors.As(*Error): got %v, want %v", asErr, e)
			}
		})
	}
}
