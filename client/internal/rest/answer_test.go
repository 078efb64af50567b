package rest

import (
	"errors"
	"github.com/tokengate/tokengate/client"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

var parseErrorCases = []struct {
	name        string
	body        string
	wantCode    string
	wantMessage string
	wantMFA     string
}{
	{"errorCode wins", `{"errorCode":"ec","error":"e","code":"c","message":"m"}`, "ec", "m", ""},
	{"error before code", `{"error":"e","code":"c"}`, "e", "e", ""},
	{"code only", `{"code":"c","message":"m"}`, "c", "m", ""},
	{"no code field", `{"message":"m"}`, client.UnknownErrorCode, "m", ""},
	{"error_description wins", `{"error":"invalid_grant","error_description":"Invalid authorization code","message":"m"}`, "invalid_grant", "Invalid authorization code", ""},
	{"empty error_description still wins", `{"error":"e","error_description":"","message":"m"}`, "e", "", ""},
	{"message before error", `{"error":"e","message":"m"}`, "e", "m", ""},
	{"empty message falls back to error", `{"error":"e","message":""}`, "e", "e", ""},
	{"null message falls back to error", `{"error":"e","message":null}`, "e", "e", ""},
	{"null error_description is absent", `{"error":"e","error_description":null}`, "e", "e", ""},
	{"null errorCode is absent", `{"errorCode":null,"error":"e"}`, "e", "e", ""},
	{"management shape", `{"statusCode":400,"error":"Bad Request","message":"Payload validation error","errorCode":"invalid_body"}`, "invalid_body", "Payload validation error", ""},
	{"numeric code", `{"code":1234,"message":"m"}`, "1234", "m", ""},
	{"object error ignored", `{"error":{"x":1},"message":"m"}`, client.UnknownErrorCode, "m", ""},
	{"mfa_required keeps token", `{"error":"mfa_required","error_description":"Multifactor authentication required","mfa_token":"Fe26.2*abc"}`, "mfa_required", "Multifactor authentication required", "Fe26.2*abc"},
	{"mfa_token ignored for other codes", `{"error":"access_denied","mfa_token":"x"}`, "access_denied", "access_denied", ""},
	{"empty object", `{}`, client.UnknownErrorCode, "", ""},
	{"plain text", "Too Many Requests", client.UnknownErrorCode, "Too Many Requests", ""},
	{"plain text trimmed", "  upstream error\n", client.UnknownErrorCode, "upstream error", ""},
	{"html", "<html><body>502 Bad Gateway</body></html>", client.UnknownErrorCode, "<html><body>502 Bad Gateway</body></html>", ""},
	{"empty body", "", client.UnknownErrorCode, "", ""},
	{"whitespace body", " \r\n", client.UnknownErrorCode, "", ""},
	{"JSON string", `"Unauthorized"`, client.UnknownErrorCode, "Unauthorized", ""},
	{"JSON array", `[1,2]`, client.UnknownErrorCode, "[1,2]", ""},
	{"broken JSON", `{"error":`, client.UnknownErrorCode, `{"error":`, ""},
	{"escaped strings", `{"error":"a\u0062c","error_description":"line\nbreak"}`, "abc", "line\nbreak", ""},
}

func TestParseError(t *testing.T) {
	for _, tc := range parseErrorCases {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{"Content-Type": {"application/json"}}
			e := ParseError(400, h, []byte(tc.body))
			if e.StatusCode != 400 {
				t.Errorf("StatusCode: got %d, want 400", e.StatusCode)
			}
			if e.Code != tc.wantCode {
				t.Errorf("Code: got %q, want %q", e.Code, tc.wantCode)
			}
			if e.Message != tc.wantMessage {
				t.Errorf("Message: got %q, want %q", e.Message, tc.wantMessage)
			}
			if e.MFAToken != tc.wantMFA {
				t.Errorf("MFAToken: got %q, want %q", e.MFAToken, tc.wantMFA)
			}
			if string(e.Body) != tc.body {
				t.Errorf("Body: got %q, want %q", e.Body, tc.body)
			}
			if e.Header.Get("Content-Type") != "application/json" {
				t.Errorf("Header not kept: got %v", e.Header)
			}
		})
	}
}

func TestParseErrorBoundsBody(t *testing.T) {
	body := strings.Repeat("x", maxErrorBody+100)
	e := ParseError(500, nil, []byte(body))
	if len(e.Body) != maxErrorBody {
		t.Errorf("len(Body): got %d, want %d", len(e.Body), maxErrorBody)
	}
}

func TestRateLimitError(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	cases := []struct {
		name          string
		header        http.Header
		wantReset     time.Time
		wantLimit     int
		wantRemaining int
	}{
		{"all headers", http.Header{"X-Ratelimit-Limit": {"50"}, "X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"1700000030"}}, time.Unix(1_700_000_030, 0), 50, 0},
		{"no headers", http.Header{}, time.Time{}, -1, -1},
		{"retry-after only", http.Header{"Retry-After": {"7"}}, now.Add(7 * time.Second), -1, -1},
		{"reset wins over retry-after", http.Header{"Retry-After": {"7"}, "X-Ratelimit-Reset": {"1700000030"}}, time.Unix(1_700_000_030, 0), -1, -1},
		{"garbage headers", http.Header{"X-Ratelimit-Limit": {"many"}, "X-Ratelimit-Remaining": {"-3"}, "X-Ratelimit-Reset": {"soon"}}, time.Time{}, -1, -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := ParseError(429, tc.header, []byte(`{"error":"too_many_requests","error_description":"Global limit has been reached"}`))
			rl := newRateLimitError(e, now)
			if !rl.ResetAt.Equal(tc.wantReset) {
				t.Errorf("ResetAt: got %v, want %v", rl.ResetAt, tc.wantReset)
			}
			if rl.Limit != tc.wantLimit || rl.Remaining != tc.wantRemaining {
				t.Errorf("Limit, Remaining: got %d, %d, want %d, %d", rl.Limit, rl.Remaining, tc.wantLimit, tc.wantRemaining)
			}
			var err error = rl
			var asRL *client.RateLimitError
			if !errors.As(err, &asRL) || asRL != rl {
				t.Errorf("errors.As(*client.RateLimitError): got %v, want %v", asRL, rl)
			}
			var asErr *client.Error
			if !errors.As(err, &asErr) || asErr != e {
				t.Errorf("errors.As(*client.Error): got %v, want %v", asErr, e)
			}
			if !strings.HasPrefix(err.Error(), "auth0: 429 too_many_requests: Global limit has been reached") {
				t.Errorf("Error(): got %q", err.Error())
			}
		})
	}
}

func FuzzParseError(f *testing.F) {
	for _, tc := range parseErrorCases {
		f.Add(400, []byte(tc.body))
	}
	f.Add(429, []byte("\xff\xfe{"))
	f.Add(500, []byte(`{"error":"`+strings.Repeat("a", 600)+`"}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := ParseError(status, nil, body)
		if e.Code == "" && !strings.Contains(string(body), `""`) {
			t.Errorf("empty Code for %q", body)
		}
		if len(e.Body) > maxErrorBody {
			t.Errorf("len(Body) %d > %d", len(e.Body), maxErrorBody)
		}
		if e.MFAToken != "" && e.Code != "mfa_required" {
			t.Errorf("MFAToken set for code %q", e.Code)
		}
		s := e.Error()
		if !utf8.ValidString(s) {
			t.Errorf("Error() is not valid UTF-8: %q", s)
		}
		if len(s) > 2*512+100 { // Error() cuts code and message at 512 bytes each
			t.Errorf("len(Error()) = %d, too long", len(s))
		}
		for _, r := range s {
			if !unicode.IsPrint(r) {
				t.Errorf("Error() has unprintable %U: %q", r, s)
				break
			}
		}
	})
}
