package middleware

import "github.com/tokengate/tokengate/internal/bearer"

// The RFC grammar the options and route checks are checked against when
// they are built.

// validQuoted reports whether s may go inside a quoted-string as it is
// (RFC 9110 qdtext without obs-text, and no quoted-pair needed).
func validQuoted(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b < 0x20 || b > 0x7e || b == '"' || b == '\\' {
			return false
		}
	}
	return true
}

// validCookieName reports whether s is an RFC 6265 cookie-name (an RFC 9110
// token).
func validCookieName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenChar(s[i]) {
			return false
		}
	}
	return true
}

func isTokenChar(b byte) bool { return bearer.IsTokenChar(b) }

// validScope reports whether s is an RFC 6749 scope-token:
// 1*( %x21 / %x23-5B / %x5D-7E ).
func validScope(s string) bool { return bearer.IsScopeToken(s) }
