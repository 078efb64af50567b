package httpx

import (
	"net/netip"
	"strings"
)

// IsLoopback reports whether host (a URL's Hostname: no port, no brackets)
// is "localhost" or a loopback IP address (127.0.0.0/8, ::1, and the IPv4
// loopback range mapped into IPv6). It is the one test for "plain http is
// allowed here" in tokengate: key sets, discovery and the API clients use it.
// Names other than "localhost" that might resolve to loopback are not
// loopback: the test never consults DNS.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Zone() == "" && a.Unmap().IsLoopback()
}
