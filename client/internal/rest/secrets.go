package rest

import (
	"net/http"
	"slices"
	"strings"
)

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
	// decryption keys, user-import password hashes, the wrapped key
	// material of a customer-provided root key (encryption keys).
	"smtppass", "secretaccesskey", "awssecretaccesskey", "connectionstring",
	"authtoken", "serverkey", "servercredentials", "p12", "pfx", "skey",
	"cnameapikey", "httpauthorization", "splunktoken", "datadogapikey",
	"sumosourceaddress", "segmentwritekey", "passphrase",
	"signingkey", "decryptionkey", "passwordhash", "custompasswordhash",
	"wrappedkey",
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
// IsSecretName), for the tests that walk the table (X22). IsSecretName also matches any name
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
