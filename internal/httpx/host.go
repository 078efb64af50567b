package httpx

import "strings"

// CanonicalHost parses a Host value (RFC 9110 section 7.2: uri-host [":"
// port]) and returns the host in lower case without port or trailing dot.
// The one host policy of orgs.FromHost and of the request facts that
// middleware gives an issuer resolver. IP literals keep their brackets
// off: "[::1]:8080" gives "::1".
func CanonicalHost(h string) (string, bool) {
	var host, port string
	hasPort := false
	if strings.HasPrefix(h, "[") {
		end := strings.IndexByte(h, ']')
		if end < 0 {
			return "", false
		}
		host = h[1:end]
		rest := h[end+1:]
		if rest != "" {
			if rest[0] != ':' {
				return "", false
			}
			port, hasPort = rest[1:], true
		}
		if host == "" || strings.IndexFunc(host, func(c rune) bool { return !isHex(c) && c != ':' && c != '.' }) >= 0 {
			return "", false
		}
	} else {
		host = h
		if i := strings.IndexByte(h, ':'); i >= 0 {
			host, port, hasPort = h[:i], h[i+1:], true
		}
		host = strings.TrimSuffix(host, ".")
		if host == "" || host[0] == '.' || host[len(host)-1] == '.' || strings.Contains(host, "..") ||
			strings.IndexFunc(host, func(c rune) bool { return !isHostChar(c) }) >= 0 {
			return "", false
		}
	}
	if hasPort && strings.IndexFunc(port, func(c rune) bool { return c < '0' || c > '9' }) >= 0 {
		return "", false
	}
	return strings.ToLower(host), true
}

func isHex(c rune) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isHostChar(c rune) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_'
}
