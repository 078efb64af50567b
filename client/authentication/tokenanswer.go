package authentication

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// ErrTokenResponse is wrapped by every *TokenResponseError: a 2xx answer of
// a token endpoint that is not a usable token response.
var ErrTokenResponse = errors.New("authentication: invalid token response")

// ErrNoIDTokenVerifier is returned, before any request is sent, when
// ID-token checks (IDTokenChecks: nonce, max age, organization) are given
// to a Client that has no ID-token verifier (Config.IDTokenVerifier): the
// checks could not run, and skipping them silently would fail open.
var ErrNoIDTokenVerifier = errors.New("authentication: ID-token checks were given but the Client has no ID-token verifier (Config.IDTokenVerifier)")

// TokenResponseError describes a 2xx token answer that is refused: no
// tokens of such an answer are returned. errors.Is matches it with
// ErrTokenResponse, and with ErrIDToken too when Field is "id_token".
type TokenResponseError struct {
	// Field is the member at fault: "access_token" and "token_type" (both
	// required, RFC 6749 section 5.1), "expires_in", "id_token" (required
	// when ID-token checks were asked, OpenID Connect Core section
	// 3.1.3.3), another member whose value has the wrong JSON type, or ""
	// for the body as a whole.
	Field string
	// Problem says what is wrong ("is missing", "is null", "is empty",
	// "is not a string", ...).
	Problem string
}

func (e *TokenResponseError) Error() string {
	if e.Field == "" {
		return "authentication: invalid token response: the body " + e.Problem
	}
	return "authentication: invalid token response: " + strconv.Quote(e.Field) + " " + e.Problem
}

// Unwrap returns ErrTokenResponse, and ErrIDToken for an id_token problem.
func (e *TokenResponseError) Unwrap() []error {
	if e.Field == "id_token" {
		return []error{ErrTokenResponse, ErrIDToken}
	}
	return []error{ErrTokenResponse}
}

// maxExpiresIn bounds expires_in (seconds) before an expiry is computed
// from it: Auth0 issues API access tokens for at most 30 days, and a
// larger value (up to 2^63) would overflow the arithmetic.
const maxExpiresIn = 30 * 24 * 60 * 60

// decodeTokenResponse is the one decoder of token answers (every grant of
// /oauth/token, /oauth/access_token, and through them the Management
// client's token source). It refuses an answer that is not a JSON object,
// whose access_token or token_type is not a non-empty string, whose
// expires_in is not a number, or whose id_token is not a string; it
// clamps expires_in to [0, maxExpiresIn] and sets ExpiresAt from now.
func decodeTokenResponse(body []byte, now time.Time) (*TokenResponse, error) {
	body = bytes.TrimSpace(body)
	var members map[string]json.RawMessage
	if len(body) == 0 || body[0] != '{' || json.Unmarshal(body, &members) != nil {
		return nil, &TokenResponseError{Problem: "is not a JSON object"}
	}
	for _, name := range [...]string{"access_token", "token_type"} {
		if err := requiredString(members, name); err != nil {
			return nil, err
		}
	}
	if raw, ok := members["id_token"]; ok && !isNull(raw) && raw[0] != '"' {
		return nil, &TokenResponseError{Field: "id_token", Problem: "is not a string"}
	}
	expiresIn, err := decodeExpiresIn(members["expires_in"])
	if err != nil {
		return nil, err
	}
	var t TokenResponse
	type plain TokenResponse
	aux := struct {
		*plain
		ExpiresIn json.RawMessage `json:"expires_in"` // read above
	}{plain: (*plain)(&t)}
	if err := json.Unmarshal(body, &aux); err != nil {
		// Only the member's name, never the value: it may be a token.
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field := te.Field[strings.LastIndexByte(te.Field, '.')+1:] // "plain.scope"
			return nil, &TokenResponseError{Field: field, Problem: "has the wrong JSON type"}
		}
		return nil, &TokenResponseError{Problem: "is not valid JSON"}
	}
	t.ExpiresIn = expiresIn
	if expiresIn > 0 {
		t.ExpiresAt = now.Add(time.Duration(expiresIn) * time.Second)
	}
	return &t, nil
}

// requiredString checks that members[name] is a non-empty JSON string.
func requiredString(members map[string]json.RawMessage, name string) error {
	raw, ok := members[name]
	var s string
	switch {
	case !ok:
		return &TokenResponseError{Field: name, Problem: "is missing"}
	case isNull(raw):
		return &TokenResponseError{Field: name, Problem: "is null"}
	case raw[0] != '"' || json.Unmarshal(raw, &s) != nil:
		return &TokenResponseError{Field: name, Problem: "is not a string"}
	case s == "":
		return &TokenResponseError{Field: name, Problem: "is empty"}
	}
	return nil
}

// decodeExpiresIn reads expires_in (absent or null: 0), a JSON number of
// seconds, clamped to [0, maxExpiresIn]; a fraction is dropped. Any JSON
// number is accepted, 1e400 included (it parses as +Inf and is clamped).
func decodeExpiresIn(raw json.RawMessage) (int64, error) {
	if len(raw) == 0 || isNull(raw) {
		return 0, nil
	}
	if c := raw[0]; c != '-' && (c < '0' || c > '9') {
		return 0, &TokenResponseError{Field: "expires_in", Problem: "is not a number"}
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, &TokenResponseError{Field: "expires_in", Problem: "is not a number"}
	}
	switch {
	case math.IsNaN(f) || f <= 0:
		return 0, nil
	case f >= maxExpiresIn:
		return maxExpiresIn, nil
	}
	return int64(f), nil
}

func isNull(raw json.RawMessage) bool { return string(raw) == "null" }

// checksRunnable refuses ID-token checks that could not run: asked for,
// but no verifier is configured. It is called before the request is sent.
func (c *Client) checksRunnable(opts []verifier.Option) error {
	if len(opts) > 0 && c.verifier == nil {
		return ErrNoIDTokenVerifier
	}
	return nil
}
