package otelauth

import (
	"net"
	"net/http"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// The HTTP semantic conventions used (v1.43.0, stable HTTP client spans):
// http.request.method (a known method, else "_OTHER" with
// http.request.method_original), server.address, server.port,
// url.template, url.full (JWKS fetches only: API paths hold ids and query
// values, so API spans carry url.template instead),
// http.response.status_code, http.response.body.size,
// http.request.resend_count (from the second attempt on) and error.type.
var attrErrorType = semconv.ErrorTypeKey

// knownMethods are the methods the conventions name; any other is
// "_OTHER", so that a client's method string is never a span name.
var knownMethods = map[string]bool{
	http.MethodConnect: true, http.MethodDelete: true, http.MethodGet: true, http.MethodHead: true,
	http.MethodOptions: true, http.MethodPatch: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodTrace: true, "QUERY": true,
}

// method returns the http.request.method attributes of m, and the method
// for a span name.
func method(m string) (string, []attribute.KeyValue) {
	if knownMethods[m] {
		return m, []attribute.KeyValue{semconv.HTTPRequestMethodKey.String(m)}
	}
	const other = "_OTHER"
	if len(m) > 32 {
		m = m[:32]
	}
	return "HTTP", []attribute.KeyValue{semconv.HTTPRequestMethodKey.String(other), semconv.HTTPRequestMethodOriginal(m)}
}

// server returns server.address and server.port of a host[:port], the
// port defaulting to the scheme's.
func server(hostport string, https bool) []attribute.KeyValue {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		host, port = hostport, ""
	}
	p, err := strconv.Atoi(port)
	if err != nil || p <= 0 {
		p = 80
		if https {
			p = 443
		}
	}
	return []attribute.KeyValue{semconv.ServerAddress(host), semconv.ServerPort(p)}
}

// statusError returns error.type for an HTTP status, "" below 400.
func statusError(status int) string {
	if status < 400 {
		return ""
	}
	return strconv.Itoa(status)
}
