package rest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/internal/httpx"
)

// maxErrorBody bounds how much of an error answer is kept in
// client.Error.Body.
const maxErrorBody = 64 << 10

// classify reads the outcome of an attempt: nil for a 2xx answer, else the
// error to return and the reason to retry it ("" when it may not be
// retried: a POST after a 5xx, a 4xx, a context that ended).
//
// A 429 is always worth retrying (the request was not processed); 5xx
// answers (except 501) and network errors only for idempotent requests.
// The error never holds a secret of the request: the secret values are
// scrubbed from the answer's code and message, in every escaping.
func (c *Client) classify(p *prepared, res result) (reason string, err error) {
	if res.err != nil {
		if res.retriable && p.idempotent {
			return client.ReasonNetwork, res.err
		}
		return "", res.err
	}
	if res.status >= 200 && res.status < 300 {
		return "", nil
	}
	apiErr := ParseError(res.status, res.header, res.body)
	// The message may be the answer's own text (a body that is not a JSON
	// object, or one cut at its size cap): its secret-named pairs go too.
	sc := p.secrets()
	apiErr.Message = sc.scrub(redactText(apiErr.Message))
	apiErr.Code = sc.scrub(apiErr.Code)
	switch {
	case res.status == http.StatusTooManyRequests:
		return client.ReasonRateLimited, newRateLimitError(apiErr, c.s.now())
	case res.status >= 500 && res.status != http.StatusNotImplemented && p.idempotent:
		return client.ReasonServerError, apiErr
	}
	return "", apiErr
}

// ParseError builds the *client.Error of a non-2xx answer from its status,
// headers and body, with the precedence of the Auth0 SDKs:
//   - Code: errorCode, then error, then code (first present and not null),
//     else client.UnknownErrorCode;
//   - Message: error_description (present and not null), then message if it
//     is a non-empty string, then error, else "";
//   - a body that is not a JSON object keeps its text as Message (a JSON
//     string body is unquoted); an empty body gives an empty Message.
//
// String fields are taken as they are; numbers and booleans as their JSON
// text; objects and arrays are ignored. The body is kept, cut to 64 KiB.
// Nothing is redacted here: Do scrubs the request's secrets (classify).
func ParseError(status int, header http.Header, body []byte) *client.Error {
	if len(body) > maxErrorBody {
		body = body[:maxErrorBody]
	}
	e := &client.Error{
		StatusCode: status,
		Code:       client.UnknownErrorCode,
		Header:     header,
		Body:       body,
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return e
	}
	var obj map[string]json.RawMessage
	if trimmed[0] != '{' || json.Unmarshal(trimmed, &obj) != nil {
		var s string
		if trimmed[0] == '"' && json.Unmarshal(trimmed, &s) == nil {
			e.Message = s
		} else {
			e.Message = string(trimmed)
		}
		return e
	}
	field := func(name string) (string, bool) {
		raw, ok := obj[name]
		if !ok {
			return "", false
		}
		return scalar(raw)
	}
	for _, name := range [...]string{"errorCode", "error", "code"} {
		if v, ok := field(name); ok {
			e.Code = v
			break
		}
	}
	if v, ok := field("error_description"); ok {
		e.Message = v
	} else if v, ok := field("message"); ok && v != "" {
		e.Message = v
	} else if v, ok := field("error"); ok {
		e.Message = v
	}
	if e.Code == "mfa_required" {
		e.MFAToken, _ = field("mfa_token")
	}
	return e
}

// scalar renders a JSON string, number or boolean; false for null, objects
// and arrays.
func scalar(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	case 't', 'f', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return string(raw), true
	}
	return "", false
}

// newRateLimitError reads the X-RateLimit-* and Retry-After headers of a
// 429. Header times come from package httpx, clamped to [0, 24h].
func newRateLimitError(e *client.Error, now time.Time) *client.RateLimitError {
	rl := &client.RateLimitError{
		Err:       e,
		Limit:     headerInt(e.Header, "X-RateLimit-Limit"),
		Remaining: headerInt(e.Header, "X-RateLimit-Remaining"),
	}
	if d, ok := httpx.RateLimitReset(e.Header, now); ok {
		rl.ResetAt = now.Add(d)
	} else if d, ok := httpx.RetryAfter(e.Header, now); ok {
		rl.ResetAt = now.Add(d)
	}
	return rl
}

// headerInt is a non-negative integer header, or -1.
func headerInt(h http.Header, name string) int {
	v := strings.TrimSpace(h.Get(name))
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return -1
	}
	return n
}
