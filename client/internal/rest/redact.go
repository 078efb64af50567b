package rest

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/tokengate/tokengate/client"
)

// Redaction of what the table of secrets (secrets.go) names, in headers,
// URLs, JSON and form bodies, and text that is not a whole document.

// maxDebugBody bounds the bodies shown in a DebugEvent.
const maxDebugBody = 8 << 10

// redactHeader returns a copy of h with credential headers replaced.
func redactHeader(h http.Header) http.Header {
	out := h.Clone()
	for name := range out {
		if isSecretHeader(name) {
			out[name] = []string{client.Redacted}
		}
	}
	return out
}

// redactURL returns u as a string with the values of secret query
// parameters and any user information replaced.
func redactURL(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User(client.Redacted)
	}
	if c.RawQuery != "" {
		q, err := url.ParseQuery(c.RawQuery)
		if err != nil {
			c.RawQuery = client.Redacted // cannot tell the secrets apart
		} else {
			redactValues(q, nil)
			c.RawQuery = q.Encode()
		}
	}
	c.Fragment, c.RawFragment = "", ""
	return c.String()
}

// redactValues replaces the values of secret names and removes the known
// secret forms from the others.
func redactValues(q url.Values, sc *scrubber) {
	for k, vs := range q {
		for i := range vs {
			if IsSecretName(k) {
				vs[i] = client.Redacted
			} else {
				vs[i] = sc.scrub(vs[i])
			}
		}
	}
}

// redactBody renders a request or response body for debug output: secret
// fields of JSON and form bodies are replaced (and, in other text, the
// values of "name": value and name=value pairs with a secret name), the
// request's secret values (sc) are removed wherever they appear in any
// common escaping, and the result is cut to 8 KiB.
func redactBody(contentType string, body []byte, sc *scrubber) string {
	if len(body) == 0 {
		return ""
	}
	var s string
	if v, ok := decodeJSON(body); ok {
		s = encodeJSON(redactJSON(v, "", sc))
	} else if isForm(contentType) {
		if q, err := url.ParseQuery(string(body)); err == nil {
			redactValues(q, sc)
			s = q.Encode()
		} else {
			s = client.Redacted
		}
	} else {
		s = redactText(string(body))
	}
	s = sc.scrub(s)
	if len(s) > maxDebugBody {
		cut := maxDebugBody
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
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
		return client.Redacted
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// redactJSON replaces the values of secret members at any depth (in place)
// and removes the known secret forms from every other string, member names
// included. parent is the name of the member holding v.
func redactJSON(v any, parent string, sc *scrubber) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			var nv any
			if isSecretMember(parent, k) {
				nv = client.Redacted
			} else {
				nv = redactJSON(e, k, sc)
			}
			if nk := sc.scrub(k); nk != k {
				delete(t, k)
				k = nk
			}
			t[k] = nv
		}
	case []any:
		for i, e := range t {
			t[i] = redactJSON(e, parent, sc)
		}
	case string:
		return sc.scrub(t)
	}
	return v
}

// collectJSONSecrets appends the strings and numbers found under secret
// members (everything when inSecret).
func collectJSONSecrets(v any, parent string, inSecret bool, out []string) []string {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			out = collectJSONSecrets(e, k, inSecret || isSecretMember(parent, k), out)
		}
	case []any:
		for _, e := range t {
			out = collectJSONSecrets(e, parent, inSecret, out)
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

// textKey finds the start of a "name": value pair (a JSON member in text
// that is not a whole JSON document: a body cut at its size cap, HTML, a
// log line) or of a name=value pair (form-like text).
var textKey = regexp.MustCompile(`"((?:[^"\\]|\\.){1,128})"\s*:\s*|(?:^|[?&;\s])([A-Za-z0-9_.\-]{1,128})=`)

// redactText replaces the values of the secret-named pairs of s: a string,
// a number or word, or a whole object or array (to its matching bracket,
// or the end of s). The scan moves forward only: linear in len(s).
func redactText(s string) string {
	var b strings.Builder
	last, pos := 0, 0
	for pos < len(s) {
		m := textKey.FindStringSubmatchIndex(s[pos:])
		if m == nil {
			break
		}
		end := pos + m[1]
		jsonKey := m[2] >= 0
		var name string
		if jsonKey {
			name = s[pos+m[2] : pos+m[3]]
		} else {
			name = s[pos+m[4] : pos+m[5]]
		}
		vEnd := textValueEnd(s, end, jsonKey)
		if !IsSecretName(name) {
			pos = vEnd
			if jsonKey && end < len(s) && (s[end] == '{' || s[end] == '[') {
				pos = end + 1 // look inside the object or array
			}
			continue
		}
		b.WriteString(s[last:end])
		if jsonKey {
			b.WriteString(`"` + client.Redacted + `"`)
		} else {
			b.WriteString(client.Redacted)
		}
		last, pos = vEnd, vEnd
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// textValueEnd returns where the value starting at s[i] ends.
func textValueEnd(s string, i int, jsonValue bool) int {
	if i >= len(s) {
		return i
	}
	if !jsonValue {
		if j := strings.IndexAny(s[i:], "&; \t\r\n"); j >= 0 {
			return i + j
		}
		return len(s)
	}
	switch s[i] {
	case '"':
		return i + 1 + stringEnd(s[i+1:])
	case '{', '[':
		depth := 0
		for j := i; j < len(s); j++ {
			switch s[j] {
			case '"':
				j += stringEnd(s[j+1:])
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return len(s)
	}
	if j := strings.IndexAny(s[i:], ",}] \t\r\n"); j >= 0 {
		return i + j
	}
	return len(s)
}

// stringEnd returns the length of the rest of a JSON string whose opening
// quote is just before s, closing quote included (len(s) if unclosed).
func stringEnd(s string) int {
	for j := 0; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(s)
}
