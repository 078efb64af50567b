// Package bearer is the syntax of the credentials in an Authorization value
// (RFC 6750 section 2.1, RFC 9449 section 7.1), written once for the
// transports that read them: package middleware (the Authorization header)
// and the grpcauth module (the authorization metadata).
//
// The grammar is strict: the scheme matched case-insensitively (RFC 9110
// section 11.1), exactly one space, then a non-empty token without spaces.
// Split does not look at the token's characters: a token that verifies is
// a compact JWS, made of b64token characters only, so callers run
// IsB64Token only after Verify failed, to answer a malformed token with
// invalid_request rather than invalid_token. That keeps a byte-by-byte scan
// of every token off the success path.
package bearer

import "strings"

// Defect is what is wrong with an Authorization value, or OK.
type Defect uint8

const (
	// OK: the value holds the scheme and a token.
	OK Defect = iota
	// OtherScheme: the value is of another scheme (Basic, "Bearers", an
	// empty value). It carries no credentials of this scheme: RFC 7235
	// lets it be meant for another layer.
	OtherScheme
	// Empty: the scheme without a token ("Bearer", "Bearer ").
	Empty
	// Malformed: extra spaces, a tab, a second value, a character that
	// cannot follow the scheme name.
	Malformed
)

// Split reads one Authorization value of scheme ("Bearer", "DPoP"): the
// scheme, case-insensitive, exactly one space and a non-empty token
// without spaces. It never allocates.
func Split(v, scheme string) (string, Defect) {
	if len(v) < len(scheme) || !strings.EqualFold(v[:len(scheme)], scheme) {
		return "", OtherScheme
	}
	rest := v[len(scheme):]
	if rest == "" {
		return "", Empty
	}
	if rest[0] != ' ' {
		if IsTokenChar(rest[0]) {
			return "", OtherScheme // a longer scheme name, such as "Bearers"
		}
		return "", Malformed
	}
	tok := rest[1:]
	if tok == "" {
		return "", Empty
	}
	if strings.IndexByte(tok, ' ') >= 0 {
		return "", Malformed // extra spaces, a second value
	}
	return tok, OK
}

// HasScheme reports whether the Authorization value v starts with scheme
// (case-insensitive) followed by a space or nothing: a value of that
// scheme, well-formed or not.
func HasScheme(v, scheme string) bool {
	return len(v) >= len(scheme) && strings.EqualFold(v[:len(scheme)], scheme) &&
		(len(v) == len(scheme) || !IsTokenChar(v[len(scheme)]))
}

// IsB64Token reports whether s matches RFC 6750's
// b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
// It tests each byte against a bit mask, one pass over a token whose length
// the client chose.
func IsB64Token(s string) bool {
	i := 0
	for ; i < len(s); i++ {
		if !IsB64Char(s[i]) {
			break
		}
	}
	if i == 0 {
		return false
	}
	for ; i < len(s); i++ {
		if s[i] != '=' {
			return false
		}
	}
	return true
}

// Bit masks of the b64token characters other than '=': b64Low for bytes
// 0-63, b64High for bytes 64-127.
const (
	b64Low  = 1<<'+' | 1<<'-' | 1<<'.' | 1<<'/' | (1<<10-1)<<'0'
	b64High = (1<<26-1)<<('A'-64) | 1<<('_'-64) | (1<<26-1)<<('a'-64) | 1<<('~'-64)
)

// IsB64Char reports whether b is a b64token character other than '='.
func IsB64Char(b byte) bool {
	var m uint64 = b64Low
	if b >= 64 {
		m = b64High
	}
	return b < 128 && m>>(b&63)&1 != 0
}

// IsTokenChar reports whether b is an RFC 9110 tchar (the characters of a
// scheme name, a header or cookie name).
func IsTokenChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	switch b {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// IsScopeToken reports whether s is an RFC 6749 scope-token:
// 1*( %x21 / %x23-5B / %x5D-7E ), which also fits in a quoted-string (the
// scope attribute of a challenge) as it is.
func IsScopeToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b < 0x21 || b > 0x7e || b == '"' || b == '\\' {
			return false
		}
	}
	return true
}
