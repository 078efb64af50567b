package authtest

import (
	"bytes"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Fault is a failure the JWKS endpoint simulates, set with SetJWKSFault.
type Fault int32

const (
	// NoFault serves the keys (the default).
	NoFault Fault = iota
	// FaultDown closes the connection without an answer (a reset where the
	// platform allows it), as a crashed or unreachable server would. Note
	// that net/http's Transport retries an idempotent request once when a
	// reused keep-alive connection closes this way, so one Get may count
	// twice in JWKSRequests.
	FaultDown
	// FaultServerError answers 500.
	FaultServerError
	// FaultRateLimited answers 429 with Retry-After.
	FaultRateLimited
	// FaultGarbage answers 200 with a body that is not JSON.
	FaultGarbage
	// FaultHugeBody answers 200 with a valid JWKS document padded to
	// HugeBodySize bytes: only a body cap rejects it.
	FaultHugeBody
	// FaultNoKeys answers 200 with {"keys":[]}.
	FaultNoKeys
)

// HugeBodySize is the size of the FaultHugeBody answer: 5 MiB.
const HugeBodySize = 5 << 20

// RateLimitRetryAfter is the Retry-After header of FaultRateLimited, in
// seconds.
const RateLimitRetryAfter = 30

var faultNames = [...]string{"NoFault", "FaultDown", "FaultServerError", "FaultRateLimited", "FaultGarbage", "FaultHugeBody", "FaultNoKeys"}

func (f Fault) String() string {
	if f >= 0 && int(f) < len(faultNames) {
		return faultNames[f]
	}
	return "Fault(" + strconv.Itoa(int(f)) + ")"
}

// SetJWKSFault makes the JWKS endpoint fail as f says, until the next call.
func (t *Tenant) SetJWKSFault(f Fault) { t.fault.Store(int32(f)) }

// SetJWKSDelay makes the JWKS endpoint wait d before answering (0: no
// delay). The wait ends early when the client gives up or the tenant closes.
func (t *Tenant) SetJWKSDelay(d time.Duration) { t.delay.Store(int64(d)) }

func (t *Tenant) serveJWKS(w http.ResponseWriter, r *http.Request) {
	t.jwksCount.Add(1)
	if d := time.Duration(t.delay.Load()); d > 0 {
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-r.Context().Done():
			return
		case <-t.closing:
			return
		}
	}
	ring := t.ring.Load()
	h := w.Header()
	switch Fault(t.fault.Load()) {
	case FaultDown:
		dropConnection(w)
		return
	case FaultServerError:
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	case FaultRateLimited:
		h.Set("Retry-After", strconv.Itoa(RateLimitRetryAfter))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"statusCode": 429, "error": "Too Many Requests", "message": "Global limit has been reached"})
		return
	case FaultGarbage:
		h.Set("Content-Type", "application/json; charset=utf-8")
		w.Write([]byte("<html><body>502 Bad Gateway</body></html>\x00\xff"))
		return
	case FaultHugeBody:
		t.writeHuge(w, ring.jwks)
		return
	case FaultNoKeys:
		h.Set("Cache-Control", t.cacheControl)
		writeJSON(w, http.StatusOK, map[string][]any{"keys": {}})
		return
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", t.cacheControl)
	h.Set("Content-Length", strconv.Itoa(len(ring.jwks)))
	w.Write(ring.jwks)
}

// dropConnection closes the client's connection without writing a byte.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 cannot hijack; aborting the handler resets the stream.
		panic(http.ErrAbortHandler)
	}
	raw := conn
	if nc, ok := conn.(interface{ NetConn() net.Conn }); ok {
		raw = nc.NetConn() // the TCP connection under TLS
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		tcp.SetLinger(0) // close with RST: "connection reset by peer"
	}
	raw.Close()
}

// writeHuge streams a HugeBodySize-byte JSON document: the real key set
// plus a padding member.
func (t *Tenant) writeHuge(w http.ResponseWriter, jwks []byte) {
	prefix := append(bytes.TrimSuffix(bytes.Clone(jwks), []byte("}")), `,"padding":"`...)
	suffix := []byte(`"}`)
	pad := HugeBodySize - len(prefix) - len(suffix)
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(HugeBodySize))
	if _, err := w.Write(prefix); err != nil {
		return
	}
	chunk := bytes.Repeat([]byte("A"), 32<<10)
	for pad > 0 {
		n := min(pad, len(chunk))
		if _, err := w.Write(chunk[:n]); err != nil {
			return // the client stopped reading: that is what a cap does
		}
		pad -= n
	}
	w.Write(suffix)
}
