// Package httpx holds the HTTP policy that several tokengate packages share,
// so that each rule is written once: how long a server may make us wait
// (Retry-After, X-RateLimit-Reset), which hosts count as loopback (the
// only hosts plain http is allowed for), how a network body is read
// (ReadBody: bounded, and an error past the bound, never a truncation), and
// which forwarded headers are believed (Proxies: only from the immediate
// peers the user names, and SingleValue: one value, sent once).
//
// Every duration read from a header is clamped to [0, MaxHeaderWait] before
// any arithmetic is done on it, so that no header value can overflow a
// time.Duration or turn negative. Callers apply their own, tighter caps.
package httpx
