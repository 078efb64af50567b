package metrics

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Label values must be bounded and valid UTF-8 (prometheus panics on
// invalid UTF-8). The helpers below map what the hooks report onto bounded
// sets.

// maxLabel cuts configuration-given names (a JWKS name, an API name, a
// route pattern) that are unusually long.
const maxLabel = 128

// nameLabel cleans a name the caller configured: valid UTF-8, cut, and
// "default" for "".
func nameLabel(s string) string {
	if s == "" {
		return "default"
	}
	return cleanLabel(s)
}

// cleanLabel makes s valid UTF-8 and cuts it to maxLabel bytes.
func cleanLabel(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if len(s) > maxLabel {
		cut := maxLabel
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return s
}

// routeLabel is the route pattern without a ServeMux pattern's method
// ("GET /items/{id}" → "/items/{id}", as chi's), or "unmatched" when no
// route is known. Patterns come from the program's route table, never from
// the request path.
func routeLabel(route string) string {
	if route == "" {
		return "unmatched"
	}
	// A ServeMux pattern is "[METHOD ][HOST]/[PATH]": a method has no '/',
	// and a space (or tab) ends it.
	if i := strings.IndexAny(route, " \t"); i > 0 && !strings.Contains(route[:i], "/") {
		route = strings.TrimLeft(route[i:], " \t")
	}
	return cleanLabel(route)
}

// statusLabel renders an HTTP status code; codes outside 100-599 are
// "other", 0 is zero (none: no answer, or passed to the handler).
func statusLabel(code int, zero string) string {
	switch {
	case code == 0:
		return zero
	case code < 100 || code > 599:
		return "other"
	}
	return strconv.Itoa(code)
}

// methodLabel keeps the standard methods and maps any other to "_OTHER"
// (OpenTelemetry's http.request.method rule): a client may send any token
// as its method.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return m
	}
	return "_OTHER"
}
