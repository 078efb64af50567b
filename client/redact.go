package client

import (
	"bytes"
	"cmp"
	"encoding/json"
	"html"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Redacted replaces every secret in debug output and error strings.
const Redacted = "[REDACTED]"

// maxDebugBody bounds the bodies shown in a DebugEvent.
const maxDebugBody = 8 << 10

// minScrubLen: request secrets shorter than this are not searched for in
// answers (replacing every "a" of a message would only destroy it; real
// secrets are longer).
const minScrubLen = 4

// The table of secrets: the one place that says which names and which
// endpoints hold secrets, for every request and answer of both APIs, in
// error strings, log lines and debug events. Names are compared normalized
// (ASCII lower case, without '_', '-', '.' and spaces), so client_secret,
// clientSecret, Client-Secret and CLIENT_SECRET are one name. The tests
// walk this table for every Management and Authentication method.

// secretNames are names (normalized) whose value is a secret wherever they
// appear: a JSON member at any depth (its whole value, objects included), a
// form field, a query parameter, a header.
var secretNames = []string{
	// OAuth and OIDC: credentials, codes, tokens.
	"clientsecret", "clientassertion", "assertion", "password", "newpassword",
	"code", "codeverifier", "devicecode", "usercode", "authreqid",
	"otp", "oobcode", "bindingcode", "recoverycode", "recoverycodes",
	"token", "accesstoken", "idtoken", "refreshtoken", "subjecttoken",
	"actortoken", "mfatoken", "sessiontoken", "loginticket",
	"secret", "secrets", "privatekey", "apikey",
	// Answers that embed a secret: a password-change or email-verification
	// ticket, a Guardian enrollment ticket and its URL, an organization
	// invitation URL and its ticket_id (the invitation parameter of the
	// link), an MFA enrollment's otpauth URI (it holds the TOTP seed), a
	// users-export job's signed download URL.
	"ticket", "ticketid", "ticketurl", "invitationurl", "barcodeuri", "location",
	// Management configuration resources: email providers (SMTP, SES,
	// SendGrid, Mailgun, Microsoft 365, Azure), Guardian factor providers
	// (Twilio, SNS, Duo, APNs, FCM), custom domains, log streams (HTTP,
	// Datadog, Splunk, Sumo Logic, Segment, Mixpanel), SAML signing and
	// decryption keys, user-import password hashes.
	"smtppass", "secretaccesskey", "awssecretaccesskey", "connectionstring",
	"authtoken", "serverkey", "servercredentials", "p12", "pfx", "skey",
	"cnameapikey", "httpauthorization", "splunktoken", "datadogapikey",
	"sumosourceaddress", "segmentwritekey", "passphrase",
	"signingkey", "decryptionkey", "passwordhash", "custompasswordhash",
}

// secretSuffixes: a name ending so says what it holds (signing_secret,
// webhook_token, mixpanelServiceAccountPassword, x-api-key, ...). Every
// name containing "secret" is one too (secretAccessKey, secret_key).
var secretSuffixes = []string{
	"secret", "secrets", "password", "passwords", "passwd", "passphrase",
	"token", "tokens", "apikey", "apikeys", "privatekey", "secretkey",
	"writekey", "signingkey", "authorization", "ticketurl",
}

// secretMembers are names that are secret only under a given parent member:
// a connection's options.configuration holds the settings of its custom
// database scripts (connection strings, passwords, keys) under names the
// tenant chooses.
var secretMembers = []struct{ parent, name string }{
	{"options", "configuration"},
}

// secretBodies are the endpoints whose bodies, request and answer, are
// secrets through and through whatever their member names (a path pattern;
// "*" is one segment): hook secrets (any name), rules-configs values.
var secretBodies = []string{
	"/api/v2/hooks/*/secrets",
	"/api/v2/rules-configs/*",
}

// secretSet indexes secretNames.
var secretSet = func() map[string]bool {
	m := make(map[string]bool, len(secretNames))
	for _, n := range secretNames {
		m[n] = true
	}
	return m
}()

// SecretNames returns the names of the table of secrets, normalized (see
// IsSecretName), for audits and tests. IsSecretName also matches any name
// that ends in secret, password, token, apikey, privatekey, authorization
// and the like, or contains "secret".
func SecretNames() []string { return slices.Clone(secretNames) }

// normalizeName lowers ASCII letters and drops '_', '-', '.' and spaces.
func normalizeName(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_' || c == '-' || c == '.' || c == ' ':
		case 'A' <= c && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// IsSecretName reports whether a JSON member, form field, query parameter
// or header of this name holds a secret that must never be shown. The
// match ignores case and the separators '_', '-', '.' and space.
func IsSecretName(name string) bool { return isSecretNormalized(normalizeName(name)) }

func isSecretNormalized(n string) bool {
	if n == "" {
		return false
	}
	if secretSet[n] || strings.Contains(n, "secret") {
		return true
	}
	for _, s := range secretSuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

// isSecretMember reports whether member name, inside member parent, holds
// a secret.
func isSecretMember(parent, name string) bool {
	n := normalizeName(name)
	if isSecretNormalized(n) {
		return true
	}
	for _, m := range secretMembers {
		if m.name == n && m.parent == normalizeName(parent) {
			return true
		}
	}
	return false
}

// isSecretBody reports whether path (as sent, without the query) is one of
// secretBodies.
func isSecretBody(path string) bool {
	segs := strings.Split(strings.TrimSuffix(path, "/"), "/")
	for _, pattern := range secretBodies {
		pat := strings.Split(pattern, "/")
		if len(pat) != len(segs) {
			continue
		}
		match := true
		for i := range pat {
			if pat[i] != "*" && pat[i] != segs[i] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// isSecretHeader reports whether a header carries credentials.
func isSecretHeader(name string) bool {
	switch http.CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie":
		return true
	}
	// X-Api-Key, X-Auth-Token, X-Client-Secret, ...: the name with or
	// without its X- prefix.
	if len(name) > 2 && (name[0] == 'X' || name[0] == 'x') && name[1] == '-' {
		return IsSecretName(name) || IsSecretName(name[2:])
	}
	return IsSecretName(name)
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
				vs[i] = Redacted
			} else {
				vs[i] = sc.scrub(vs[i])
			}
		}
	}
}

// RedactBody renders a request or response body for debug output: secret
// fields of JSON and form bodies are replaced (and, in other text, the
// values of "name": value and name=value pairs with a secret name), the
// values in secrets are removed wherever they appear in any common
// escaping, and the result is cut to 8 KiB.
func RedactBody(contentType string, body []byte, secrets []string) string {
	return redactBody(contentType, body, newScrubber(secrets))
}

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
			s = Redacted
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
		return Redacted
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
				nv = Redacted
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
			b.WriteString(`"` + Redacted + `"`)
		} else {
			b.WriteString(Redacted)
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

// secretForms expands secret values into every form a server may echo them
// in: as they are, HTML-escaped (both common entity sets), and each of
// these JSON-escaped (HTML-safe or not, ASCII-only, with "\/"), form- and
// path-escaped (upper- and lower-case hex, "+" or "%20" for a space), and
// each of those once more JSON-escaped. Values shorter than minScrubLen are
// skipped. The forms are sorted longest
// first, so that a longer form is replaced before a shorter one inside it.
func secretForms(secrets []string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(f string) {
		if len(f) >= minScrubLen && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	for _, sec := range secrets {
		if len(sec) < minScrubLen {
			continue
		}
		first := len(out)
		for _, base := range [...]string{sec, html.EscapeString(sec), htmlEntities.Replace(sec)} {
			add(base)
			for _, j := range [...]string{jsonEscape(base, true), jsonEscape(base, false), jsonASCII(base)} {
				add(j)
				add(strings.ReplaceAll(j, "/", `\/`))
			}
			for _, u := range [...]string{url.QueryEscape(base), url.PathEscape(base), strings.ReplaceAll(url.QueryEscape(base), "+", "%20")} {
				add(u)
				add(lowerPercentHex(u))
			}
		}
		// Each form once more inside a JSON string: an echo of an echo,
		// seen when a JSON body that is cut (so not decoded) holds one.
		for _, f := range out[first:] {
			add(jsonEscape(f, true))
			add(jsonEscape(f, false))
		}
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	return out
}

// htmlEntities is the other common HTML escaping (&quot; and &#x27;).
var htmlEntities = strings.NewReplacer(`&`, "&amp;", `<`, "&lt;", `>`, "&gt;", `"`, "&quot;", `'`, "&#x27;")

// lowerPercentHex writes the hex digits of u's percent escapes in lower
// case (%2F as %2f), as some servers echo them.
func lowerPercentHex(u string) string {
	b := []byte(u)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			for j := i + 1; j <= i+2; j++ {
				if 'A' <= b[j] && b[j] <= 'F' {
					b[j] += 'a' - 'A'
				}
			}
		}
	}
	return string(b)
}

// jsonEscape is s as the inside of a JSON string, with or without
// encoding/json's HTML-safe escapes (\u003c, \u003e, \u0026).
func jsonEscape(s string, htmlSafe bool) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(htmlSafe)
	enc.Encode(s)
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	return string(b[1 : len(b)-1])
}

// jsonASCII is s as the inside of a JSON string with every non-ASCII rune
// written \uXXXX (lower-case hex, surrogate pairs), as Python's json does.
func jsonASCII(s string) string {
	var b strings.Builder
	for _, r := range jsonEscape(s, false) {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case r > 0xFFFF:
			r -= 0x10000
			writeU(&b, 0xD800+(r>>10))
			writeU(&b, 0xDC00+(r&0x3FF))
		default:
			writeU(&b, r)
		}
	}
	return b.String()
}

func writeU(b *strings.Builder, r rune) {
	const hex = "0123456789abcdef"
	b.WriteString(`\u`)
	for shift := 12; shift >= 0; shift -= 4 {
		b.WriteByte(hex[(r>>shift)&0xF])
	}
}

// scrubber removes secret values, in every form secretForms knows, from
// text: one pass over the text whatever the number of forms (a
// strings.Replacer; at each position the first, so longest, form that
// matches wins). A nil *scrubber removes nothing.
type scrubber struct{ r *strings.Replacer }

func newScrubber(secrets []string) *scrubber {
	forms := secretForms(secrets)
	if len(forms) == 0 {
		return nil
	}
	args := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		args = append(args, f, Redacted)
	}
	return &scrubber{strings.NewReplacer(args...)}
}

func (sc *scrubber) scrub(s string) string {
	if sc == nil {
		return s
	}
	return sc.r.Replace(s)
}
