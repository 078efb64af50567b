package verifier

import (
	"math"
	"strings"
	"time"
	"unsafe"

	"github.com/tokengate/tokengate/internal/strictjson"
)

// Limits of the claims parser.
const (
	maxListLen = 256          // aud and permissions entries (Z4)
	maxDate    = 253402300799 // 9999-12-31T23:59:59Z (T3)
)

// str views b, which aliases the immutable payload buffer, as a string
// without copying. The buffer is never written after decoding.
func str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// parseClaims decodes the verified payload into c. Registered claims must
// have their JSON types (a string, a NumericDate, aud a string or a list of
// strings); null is a type error, never "absent" (T1). Every other member is
// validated and skipped, and recorded in others when it is not nil (for
// the custom claims of a Typed). required lists claims that must be
// present; maxActors bounds the act chain.
func parseClaims(payload []byte, c *Claims, required []string, present []bool, maxActors int, others *memberIndex) error {
	s := strictjson.NewScanner(payload)
	if s.Peek() != strictjson.Object {
		return newError(ErrMalformed, "claims", "claims are not a JSON object")
	}
	if err := s.BeginObject(); err != nil {
		return malformedJSON("claims", err)
	}
	c.raw = payload
	var m strictjson.Members
	for {
		name, ok, err := s.NextMember(&m)
		if err != nil {
			return malformedJSON("claims", err)
		}
		if !ok {
			break
		}
		if len(required) > 0 {
			for i, r := range required {
				if r == string(name) && s.Peek() != strictjson.Null {
					present[i] = true
				}
			}
		}
		var dst *string
		var claim string // a constant, so that error paths do not copy name
		switch string(name) {
		case "iss":
			dst, claim, c.has = &c.Issuer, "iss", c.has|hasIss
		case "sub":
			dst, claim, c.has = &c.Subject, "sub", c.has|hasSub
		case "azp":
			dst, claim, c.has = &c.AuthorizedParty, "azp", c.has|hasAzp
		case "client_id":
			dst, claim, c.has = &c.ClientID, "client_id", c.has|hasClientID
		case "jti":
			dst, claim = &c.ID, "jti"
		case "nonce":
			dst, claim, c.has = &c.Nonce, "nonce", c.has|hasNonce
		case "org_id":
			dst, claim, c.has = &c.OrgID, "org_id", c.has|hasOrgID
		case "org_name":
			dst, claim, c.has = &c.OrgName, "org_name", c.has|hasOrgName
		case "scope":
			v, err := stringClaim(&s, "scope")
			if err != nil {
				return err
			}
			c.Scope = splitScope(c, v)
			continue
		case "aud":
			c.has |= hasAud
			if s.Peek() == strictjson.String {
				v, err := stringClaim(&s, "aud")
				if err != nil {
					return err
				}
				c.Audience = c.keep([]string{v})
				continue
			}
			if c.Audience, err = stringList(&s, c, "aud"); err != nil {
				return err
			}
			continue
		case "permissions":
			if c.Permissions, err = stringList(&s, c, "permissions"); err != nil {
				return err
			}
			continue
		case "exp":
			c.has |= hasExp
			if c.exp, err = numericDate(&s, "exp"); err != nil {
				return err
			}
			c.ExpiresAt = unixTime(c.exp)
			continue
		case "nbf":
			c.has |= hasNbf
			if c.nbf, err = numericDate(&s, "nbf"); err != nil {
				return err
			}
			c.NotBefore = unixTime(c.nbf)
			continue
		case "iat":
			c.has |= hasIat
			if c.iat, err = numericDate(&s, "iat"); err != nil {
				return err
			}
			c.IssuedAt = unixTime(c.iat)
			continue
		case "cnf":
			if err := parseConfirmation(&s, c); err != nil {
				return err
			}
			continue
		case "act":
			if c.Actor, err = parseActor(&s, "act", maxActors); err != nil {
				return err
			}
			continue
		case "may_act":
			if c.MayAct, err = parseActor(&s, "may_act", 0); err != nil {
				return err
			}
			continue
		case "auth_time":
			c.has |= hasAuthTime
			if c.authTime, err = numericDate(&s, "auth_time"); err != nil {
				return err
			}
			c.AuthTime = unixTime(c.authTime)
			continue
		default:
			if others != nil {
				others.add(payload, name, s.Offset())
			}
			if err := s.Skip(); err != nil {
				return malformedJSON("claims", err)
			}
			continue
		}
		v, err := stringClaim(&s, claim)
		if err != nil {
			return err
		}
		*dst = v
	}
	if err := s.End(); err != nil {
		return malformedJSON("claims", err)
	}
	return nil
}

// memberIndex records where the members parseClaims does not read are (the
// name, and the scanner's offset before the value), so that a Typed's
// decoding goes straight to them instead of reading the payload again. It
// lives on Verify's stack.
type memberIndex struct {
	m    [16]indexedMember
	n    int
	over bool // more members than m holds, a name with escapes, or an offset past int32
}

// indexedMember is one member of a memberIndex: payload[name:name+nameLen]
// is its name, value the offset of its value.
type indexedMember struct {
	name, nameLen, value int32
}

// add records the member name, which aliases payload unless it had
// escapes, whose value is at offset value.
func (x *memberIndex) add(payload, name []byte, value int) {
	if x.over {
		return
	}
	at := -1
	if len(name) > 0 && len(payload) > 0 {
		at = int(uintptr(unsafe.Pointer(unsafe.SliceData(name))) - uintptr(unsafe.Pointer(unsafe.SliceData(payload))))
	}
	if x.n == len(x.m) || at < 0 || at+len(name) > len(payload) || value > math.MaxInt32 {
		// An unescaped name (a fresh buffer, or empty): decode from the
		// payload instead.
		x.over = true
		return
	}
	x.m[x.n] = indexedMember{int32(at), int32(len(name)), int32(value)}
	x.n++
}

func malformedJSON(where string, err error) error {
	return newError(ErrMalformed, where, where+": "+err.Error())
}

func typeError(claim, want string) error {
	return newError(ErrMalformed, claim, "claim "+claim+" must be "+want)
}

func stringClaim(s *strictjson.Scanner, claim string) (string, error) {
	if s.Peek() != strictjson.String {
		return "", typeError(claim, "a string")
	}
	raw, esc, err := s.ReadString()
	if err != nil {
		return "", malformedJSON("claims", err)
	}
	if esc {
		return string(strictjson.Unescape(nil, raw)), nil
	}
	return str(raw), nil
}

func stringList(s *strictjson.Scanner, c *Claims, claim string) ([]string, error) {
	if s.Peek() != strictjson.Array {
		return nil, typeError(claim, "a string or an array of strings")
	}
	if err := s.BeginArray(); err != nil {
		return nil, malformedJSON("claims", err)
	}
	var buf [8]string
	list := buf[:0]
	for {
		ok, err := s.NextElement()
		if err != nil {
			return nil, malformedJSON("claims", err)
		}
		if !ok {
			break
		}
		if len(list) == maxListLen {
			return nil, newError(ErrMalformed, claim, "claim "+claim+" has too many entries")
		}
		v, err := stringClaim(s, claim)
		if err != nil {
			return nil, typeError(claim, "an array of strings")
		}
		list = append(list, v)
	}
	return c.keep(list), nil
}

// splitScope splits the scope claim on spaces (RFC 6749 section 3.3),
// ignoring empty entries.
func splitScope(c *Claims, v string) []string {
	var buf [16]string
	list := buf[:0]
	for v != "" {
		i := strings.IndexByte(v, ' ')
		if i < 0 {
			list = append(list, v)
			break
		}
		if i > 0 {
			list = append(list, v[:i])
		}
		v = v[i+1:]
	}
	return c.keep(list)
}

func numericDate(s *strictjson.Scanner, claim string) (float64, error) {
	if s.Peek() != strictjson.Number {
		return 0, typeError(claim, "a number (NumericDate)")
	}
	f, err := s.ReadFloat()
	if err != nil || math.IsNaN(f) || f < 0 || f > maxDate {
		return 0, newError(ErrMalformed, claim, "claim "+claim+" is out of range")
	}
	return f, nil
}

func unixTime(f float64) time.Time {
	sec := math.Floor(f)
	return time.Unix(int64(sec), int64((f-sec)*1e9)).UTC()
}

// peekIssuer returns the top-level iss of an unverified payload, used only to
// pick the key source when several issuers are configured. The payload gets
// the full strict parse after the signature verifies.
func peekIssuer(payload []byte) (string, bool) {
	s := strictjson.NewScanner(payload)
	if s.BeginObject() != nil {
		return "", false
	}
	var m strictjson.Members
	for {
		name, ok, err := s.NextMember(&m)
		if err != nil || !ok {
			return "", false
		}
		if string(name) == "iss" {
			v, err := stringClaim(&s, "iss")
			return v, err == nil
		}
		if s.Skip() != nil {
			return "", false
		}
	}
}
