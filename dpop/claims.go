package dpop

import (
	"math"
	"time"
	"unsafe"

	"github.com/tokengate/tokengate/internal/strictjson"
)

// Limits of the claims.
const (
	maxJTI  = 256  // bytes; RFC 9449 suggests 96 bits of randomness, 16 to 43 characters
	maxHTU  = 4096 // bytes
	maxDate = 253402300799
)

// proofClaims are the claims of a proof that this package reads.
type proofClaims struct {
	jti, htm, htu, ath, nonce string
	iat                       float64
	hasAth, hasNonce          bool
}

// parseClaims decodes the verified payload strictly (strictjson: no
// duplicate or case-folded duplicate members, UTF-8 only). jti, htm, htu
// and iat are required; jti, htm, htu, ath and nonce must be strings and
// iat a NumericDate (null is a type error, never "absent"). Other members
// are validated and ignored.
func parseClaims(payload []byte) (proofClaims, error) {
	var c proofClaims
	s := strictjson.NewScanner(payload)
	if s.Peek() != strictjson.Object {
		return c, fail(ErrMalformed, "claims are not a JSON object")
	}
	if err := s.BeginObject(); err != nil {
		return c, fail(ErrMalformed, "claims: "+err.Error())
	}
	var m strictjson.Members
	var hasJTI, hasHTM, hasHTU, hasIat bool
	for {
		name, ok, err := s.NextMember(&m)
		if err != nil {
			return c, fail(ErrMalformed, "claims: "+err.Error())
		}
		if !ok {
			break
		}
		var dst *string
		var claim string
		switch string(name) {
		case "jti":
			dst, claim, hasJTI = &c.jti, "jti", true
		case "htm":
			dst, claim, hasHTM = &c.htm, "htm", true
		case "htu":
			dst, claim, hasHTU = &c.htu, "htu", true
		case "ath":
			dst, claim, c.hasAth = &c.ath, "ath", true
		case "nonce":
			dst, claim, c.hasNonce = &c.nonce, "nonce", true
		case "iat":
			if s.Peek() != strictjson.Number {
				return c, fail(ErrMalformed, "claim iat must be a number")
			}
			f, err := s.ReadFloat()
			if err != nil || math.IsNaN(f) || f < 0 || f > maxDate {
				return c, fail(ErrMalformed, "claim iat is out of range")
			}
			c.iat, hasIat = f, true
			continue
		default:
			if err := s.Skip(); err != nil {
				return c, fail(ErrMalformed, "claims: "+err.Error())
			}
			continue
		}
		if s.Peek() != strictjson.String {
			return c, fail(ErrMalformed, "claim "+claim+" must be a string")
		}
		raw, esc, err := s.ReadString()
		if err != nil {
			return c, fail(ErrMalformed, "claims: "+err.Error())
		}
		if esc {
			raw = strictjson.Unescape(nil, raw)
		}
		*dst = str(raw)
	}
	if err := s.End(); err != nil {
		return c, fail(ErrMalformed, "claims: "+err.Error())
	}
	switch {
	case !hasJTI || c.jti == "":
		return c, fail(ErrMalformed, "claim jti is required")
	case len(c.jti) > maxJTI:
		return c, fail(ErrMalformed, "claim jti is too long")
	case !hasHTM || c.htm == "":
		return c, fail(ErrMalformed, "claim htm is required")
	case !hasHTU || c.htu == "":
		return c, fail(ErrMalformed, "claim htu is required")
	case len(c.htu) > maxHTU:
		return c, fail(ErrMalformed, "claim htu is too long")
	case !hasIat:
		return c, fail(ErrMalformed, "claim iat is required")
	}
	return c, nil
}

// str views b, which aliases the decoded payload (never written after
// decoding) or a fresh unescaped copy, as a string without copying.
func str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func unixTime(f float64) time.Time {
	sec := math.Floor(f)
	return time.Unix(int64(sec), int64((f-sec)*1e9)).UTC()
}
