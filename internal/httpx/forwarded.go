package httpx

import (
	"errors"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies is a set of reverse proxies whose forwarded headers are believed
// (the X-Forwarded-Host or forwarded client certificate a user names). A
// request is from a trusted proxy when its immediate peer, r.RemoteAddr, is
// in one of the prefixes; no header of the request itself can make it so.
// Package dpop (htu) and package middleware (mTLS) share this one rule.
type Proxies []netip.Prefix

// Trusts reports whether the immediate peer of r is in p. A RemoteAddr that
// is not an IP address (a Unix socket, an empty one) is not trusted.
func (p Proxies) Trusts(r *http.Request) bool {
	if len(p) == 0 {
		return false
	}
	a, ok := remoteIP(r.RemoteAddr)
	if !ok {
		return false
	}
	for _, pre := range p {
		if pre.Contains(a) {
			return true
		}
	}
	return false
}

func remoteIP(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone(""), true
	}
	return netip.Addr{}, false
}

// CheckProxies validates prefixes given in a configuration: valid, and
// masked (10.0.0.1/8 is a typo for 10.0.0.0/8 or 10.0.0.1/32, refused).
func CheckProxies(p []netip.Prefix) error {
	for _, pre := range p {
		if !pre.IsValid() {
			return errors.New("invalid prefix in trusted proxies")
		}
		if pre != pre.Masked() {
			return errors.New("trusted proxy prefix " + pre.String() + " has bits set beyond its length; write " + pre.Masked().String() + " or a /32 (/128)")
		}
	}
	return nil
}

// ErrForwardedList is returned by SingleValue for a header sent more than
// once or holding a comma-separated list: several hops wrote it, and which
// one to believe cannot be told.
var ErrForwardedList = errors.New("forwarded header holds more than one value")

// SingleValue returns the value of the header name, which must be sent at
// most once and hold one value (no comma). present is false when the header
// is absent or empty.
func SingleValue(h http.Header, name string) (value string, present bool, err error) {
	vs := h.Values(name)
	switch len(vs) {
	case 0:
		return "", false, nil
	case 1:
	default:
		return "", true, ErrForwardedList
	}
	v := strings.TrimSpace(vs[0])
	if v == "" {
		return "", false, nil
	}
	if strings.IndexByte(v, ',') >= 0 {
		return "", true, ErrForwardedList
	}
	return v, true, nil
}
