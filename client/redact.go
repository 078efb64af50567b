package client

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// Redacted replaces every secret in debug output and error strings.
const Redacted = "[REDACTED]"

// maxDebugBody bounds the bodies shown in a DebugEvent.
const maxDebugBody = 8 << 10

// minScrubLen: request secrets shorter than this are not searched for in
// answers (replacing every "a" of a message would only destroy it; real
// secrets are longer).
const minScrubLen = 4

// IsSecretName reports whether a JSON field, form field or query parameter
// of this name holds a secret that must never be shown (case-insensitive).
func IsSecretName(name string) bool {
	switch strings.ToLower(name) {
	case "client_secret", "client_assertion", "password", "new_password",
		"refresh_token", "code", "code_verifier", "access_token", "id_token",
		"subject_token", "actor_token", "otp", "mfa_token", "token",
		"oob_code", "binding_code", "recovery_code", "recovery_codes",
		"device_code", "auth_req_id", "secret", "secrets", "private_key",
		"assertion", "api_key", "session_token", "login_ticket",
		// Management configuration resources (email providers, Guardian
		// factor providers, custom domains, log streams).
		"smtp_pass", "aws_secret_access_key", "auth_token", "server_key",
		"server_credentials", "p12", "skey", "cname_api_key", "httpauthorization",
		"splunktoken", "datadogapikey", "pfx", "passphrase":
		return true
	}
	// Any other name that says what it is.
	n := strings.ToLower(name)
	return strings.HasSuffix(n, "_secret") || strings.HasSuffix(n, "password") ||
		strings.HasSuffix(n, "_token") ||
		strings.HasSuffix(n, "apikey") || strings.HasSuffix(n, "_api_key")
}

// isSecretHeader reports whether a header carries credentials.
func isSecretHeader(name string) bool {
	switch http.CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
		"X-Api-Key", "X-Auth-Token":
		return true
	}
	return false
}

// RedactHeader returns a copy of h with credential headers replaced.
func RedactHeader(h http.Header) http.Header {
	out := h.Clone()
	for name := range out {
		if isSecretHeader(name) {
			out[name] = []string{Redacted}
		}
	}
	return out
}

// RedactURL returns u as a string with the values of secret query
// parameters and any user information replaced.
func RedactURL(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User(Redacted)
	}
	if c.RawQuery != "" {
		q, err := url.ParseQuery(c.RawQuery)
		if err != nil {
			c.RawQuery = Redacted // cannot tell the secrets apart
		} else {
			redactValues(q)
			c.RawQuery = q.Encode()
		}
	}
	c.Fragment, c.RawFragment = "", ""
	return c.String()
}

func redactValues(q url.Values) {
	for k, vs := range q {
		if IsSecretName(k) {
			for i := range vs {
				vs[i] = Redacted
			}
		}
	}
}

// RedactBody renders a request or response body for debug output: secret
// fields of JSON and form bodies are replaced, the values in secrets are
// removed wherever they appear, and the result is cut to 8 KiB.
func RedactBody(contentType string, body []byte, secrets []string) string {
	if len(body) == 0 {
		return ""
	}
	var s string
	if v, ok := decodeJSON(body); ok {
		s = encodeJSON(redactJSON(v))
	} else if isForm(contentType) {
		if q, err := url.ParseQuery(string(body)); err == nil {
			redactValues(q)
			s = q.Encode()
		} else {
			s = Redacted
		}
	} else {
		s = string(body)
	}
	s = scrub(s, secrets)
	if len(s) > maxDebugBody {
		s = s[:maxDebugBody] + "…"
	}
	return s
}

func isForm(contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	return mt == "application/x-www-form-urlencoded"
}

func decodeJSON(b []byte) (any, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || (b[0] != '{' && b[0] != '[') {
		return nil, false
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil || d.More() {
		return nil, false
	}
	return v, true
}

func encodeJSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return Redacted
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// redactJSON replaces the values of secret members at any depth (in place).
func redactJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if IsSecretName(k) {
				t[k] = Redacted
			} else {
				t[k] = redactJSON(e)
			}
		}
	case []any:
		for i, e := range t {
			t[i] = redactJSON(e)
		}
	}
	return v
}

// collectJSONSecrets appends the strings found under secret members.
func collectJSONSecrets(v any, inSecret bool, out []string) []string {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			out = collectJSONSecrets(e, inSecret || IsSecretName(k), out)
		}
	case []any:
		for _, e := range t {
			out = collectJSONSecrets(e, inSecret, out)
		}
	case string:
		if inSecret {
			out = append(out, t)
		}
	case json.Number:
		if inSecret {
			out = append(out, t.String())
		}
	}
	return out
}

// scrub removes every secret value (and its JSON-escaped form) from s.
func scrub(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) < minScrubLen {
			continue
		}
		s = strings.ReplaceAll(s, sec, Redacted)
		if q, err := json.Marshal(sec); err == nil {
			if esc := string(q[1 : len(q)-1]); esc != sec {
				s = strings.ReplaceAll(s, esc, Redacted)
			}
		}
		if esc := url.QueryEscape(sec); esc != sec {
			s = strings.ReplaceAll(s, esc, Redacted)
		}
	}
	return s
}
