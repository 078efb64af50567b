package jose

import (
	"errors"
	"strings"

	"github.com/tokengate/tokengate/internal/strictjson"
)

// KeyAlg is a JWE key-management algorithm this package knows (RFC 7518
// section 4). The zero value is not an algorithm. PBES2 and RSA1_5 are not
// algorithms here: they are refused by name (ErrPBES2) or as unknown.
type KeyAlg uint8

// The key-management algorithms.
const (
	RSAOAEP256 KeyAlg = iota + 1
	RSAOAEP384
	RSAOAEP512
	ECDHES
	ECDHESA128KW
	ECDHESA192KW
	ECDHESA256KW
	Dir
	A128KW
	A192KW
	A256KW
)

var keyAlgNames = [...]string{
	RSAOAEP256: "RSA-OAEP-256", RSAOAEP384: "RSA-OAEP-384", RSAOAEP512: "RSA-OAEP-512",
	ECDHES: "ECDH-ES", ECDHESA128KW: "ECDH-ES+A128KW", ECDHESA192KW: "ECDH-ES+A192KW", ECDHESA256KW: "ECDH-ES+A256KW",
	Dir: "dir", A128KW: "A128KW", A192KW: "A192KW", A256KW: "A256KW",
}

// String returns the JOSE name of a.
func (a KeyAlg) String() string {
	if a == 0 || int(a) >= len(keyAlgNames) {
		return ""
	}
	return keyAlgNames[a]
}

// ParseKeyAlg returns the KeyAlg named exactly (case-sensitively) by name.
func ParseKeyAlg(name string) (KeyAlg, bool) {
	for a, n := range keyAlgNames {
		if a != 0 && n == name {
			return KeyAlg(a), true
		}
	}
	return 0, false
}

// IsPBES2 reports whether name is a PBES2 algorithm, refused always: its
// p2c makes the cost of one token the sender's choice.
func IsPBES2(name string) bool { return strings.HasPrefix(name, "PBES2") }

// WrapLen is the AES key-wrap key length of a in bytes (0 when a does not
// wrap with AES KW).
func (a KeyAlg) WrapLen() int {
	switch a {
	case A128KW, ECDHESA128KW:
		return 16
	case A192KW, ECDHESA192KW:
		return 24
	case A256KW, ECDHESA256KW:
		return 32
	}
	return 0
}

// Enc is a JWE content-encryption algorithm (RFC 7518 section 5).
type Enc uint8

// The content-encryption algorithms.
const (
	A128GCM Enc = iota + 1
	A192GCM
	A256GCM
	A128CBCHS256
	A192CBCHS384
	A256CBCHS512
)

var encNames = [...]string{
	A128GCM: "A128GCM", A192GCM: "A192GCM", A256GCM: "A256GCM",
	A128CBCHS256: "A128CBC-HS256", A192CBCHS384: "A192CBC-HS384", A256CBCHS512: "A256CBC-HS512",
}

// String returns the JOSE name of e.
func (e Enc) String() string {
	if e == 0 || int(e) >= len(encNames) {
		return ""
	}
	return encNames[e]
}

// ParseEnc returns the Enc named exactly by name.
func ParseEnc(name string) (Enc, bool) {
	for e, n := range encNames {
		if e != 0 && n == name {
			return Enc(e), true
		}
	}
	return 0, false
}

// KeyLen is the content-encryption key length of e in bytes.
func (e Enc) KeyLen() int {
	switch e {
	case A128GCM:
		return 16
	case A192GCM:
		return 24
	case A256GCM, A128CBCHS256:
		return 32
	case A192CBCHS384:
		return 48
	case A256CBCHS512:
		return 64
	}
	return 0
}

// IVLen and TagLen are the exact sizes of the IV and tag segments of e.
func (e Enc) IVLen() int {
	if e.GCM() {
		return 12
	}
	return 16
}

// TagLen is the exact size of the authentication tag of e.
func (e Enc) TagLen() int {
	if e.GCM() {
		return 16
	}
	return e.KeyLen() / 2
}

// GCM reports whether e is AES-GCM.
func (e Enc) GCM() bool { return e >= A128GCM && e <= A256GCM }

// Errors of the JWE layer.
var (
	ErrJWEParts    = errors.New("not a compact JWE: want exactly five base64url parts")
	ErrNoEnc       = errors.New(`header has no "enc"`)
	ErrUnknownEnc  = errors.New(`header "enc" is not a supported content encryption`)
	ErrPBES2       = errors.New("PBES2 key management is never accepted")
	ErrZip         = errors.New(`header "zip" is not accepted (compressed JWE)`)
	ErrJWEMember   = errors.New(`header member not allowed in a JWE ("iv", "tag", "p2s", "p2c", "b64")`)
	ErrContentType = errors.New(`header "cty" must be "JWT" or "at+jwt" (a nested signed token)`)
	ErrEPK         = errors.New(`header "epk" is malformed`)
	ErrPartyInfo   = errors.New(`header "apu" or "apv" is malformed`)
)

// MaxPartyInfo bounds the decoded apu and apv of ECDH-ES.
const MaxPartyInfo = 256

// SplitJWE finds the four dots of a compact JWE: header, encrypted key, IV,
// ciphertext, tag (RFC 7516 section 7.1). Only the encrypted key may be
// empty (dir and ECDH-ES); no segment may have a length no base64url
// encoding has. The JSON serialization has no dots and fails here.
func SplitJWE(token string) (dots [4]int, err error) {
	from := 0
	for i := range dots {
		j := strings.IndexByte(token[from:], '.')
		if j < 0 {
			return dots, ErrJWEParts
		}
		dots[i] = from + j
		from = dots[i] + 1
	}
	if strings.IndexByte(token[from:], '.') >= 0 {
		return dots, ErrJWEParts
	}
	if dots[0] == 0 || dots[2] == dots[1]+1 || dots[3] == dots[2]+1 || dots[3] == len(token)-1 {
		return dots, ErrEmptyPart
	}
	for _, n := range [5]int{dots[0], dots[1] - dots[0] - 1, dots[2] - dots[1] - 1, dots[3] - dots[2] - 1, len(token) - dots[3] - 1} {
		if n%4 == 1 {
			return dots, ErrBase64
		}
	}
	return dots, nil
}

// CountDots returns the number of dots in token, stopping at 5: it tells a
// compact JWS (2) from a compact JWE (4) without parsing either.
func CountDots(token string) int {
	n := 0
	for n < 5 {
		i := strings.IndexByte(token, '.')
		if i < 0 {
			break
		}
		n++
		token = token[i+1:]
	}
	return n
}

// JWEHeader is the policy-checked protected header of a JWE.
type JWEHeader struct {
	Alg    KeyAlg
	AlgRaw []byte // as sent, for messages
	Enc    Enc
	EncRaw []byte
	Kid    []byte
	HasKid bool
	// EPK is the raw JSON of the epk member, nil when absent; APU and APV
	// the decoded apu and apv (ECDH-ES party info).
	EPK      []byte
	APU, APV []byte
	// Embedded reports jwk, jku, x5u or x5c: never used to choose a key.
	Embedded bool
}

// ParseJWEHeader parses the decoded protected header of a JWE strictly:
// a duplicate-free JSON object; "alg" and "enc" strings, required and known
// ("PBES2-*" refused by name, ErrPBES2); "cty" required, "JWT" or "at+jwt"
// compared case-insensitively, with or without "application/" (the content
// is a signed JWT: RFC 7519 section 5.2); "zip" refused (decompression
// bombs, CVE-2024-28180); "crit" refused as for a JWS; "iv", "tag", "p2s",
// "p2c" (of algorithms not accepted) and "b64" refused; "kid" bounded as for
// a JWS; jwk/jku/x5u/x5c noted but never used; any other member (typ, and
// the iss/aud oidc-provider copies in) ignored.
func ParseJWEHeader(data []byte) (JWEHeader, error) {
	var h JWEHeader
	if len(data) > MaxHeader {
		return h, ErrHeaderTooBig
	}
	s := strictjson.NewScanner(data)
	if s.Peek() != strictjson.Object {
		return h, ErrNotAnObject
	}
	if err := s.BeginObject(); err != nil {
		return h, err
	}
	var m strictjson.Members
	var crit, cty, pbes2 bool
	for {
		name, ok, err := s.NextMember(&m)
		if err != nil {
			return h, err
		}
		if !ok {
			break
		}
		switch string(name) {
		case "alg":
			v, err := stringValue(&s)
			if err != nil {
				return h, err
			}
			h.AlgRaw = v
			h.Alg, _ = ParseKeyAlg(string(v))
			pbes2 = IsPBES2(string(v))
		case "enc":
			v, err := stringValue(&s)
			if err != nil {
				return h, err
			}
			h.EncRaw = v
			h.Enc, _ = ParseEnc(string(v))
		case "kid":
			v, err := kidValue(&s)
			if err != nil {
				return h, err
			}
			h.Kid, h.HasKid = v, true
		case "cty":
			v, err := stringValue(&s)
			if err != nil {
				return h, err
			}
			if !NestedJWT(v) {
				return h, ErrContentType
			}
			cty = true
		case "zip":
			return h, ErrZip
		case "crit":
			if err := checkCrit(&s); err != nil {
				return h, err
			}
			crit = true
		case "p2s", "p2c":
			return h, ErrPBES2
		case "iv", "tag", "b64":
			return h, ErrJWEMember
		case "epk":
			if s.Peek() != strictjson.Object {
				return h, ErrEPK
			}
			raw, err := s.SkipRaw()
			if err != nil {
				return h, err
			}
			h.EPK = raw
		case "apu", "apv":
			v, err := stringValue(&s)
			if err != nil {
				return h, err
			}
			if DecodedLen(len(v)) > MaxPartyInfo {
				return h, ErrPartyInfo
			}
			d, err := Decode(make([]byte, DecodedLen(len(v))), string(v))
			if err != nil {
				return h, ErrPartyInfo
			}
			if string(name) == "apu" {
				h.APU = d
			} else {
				h.APV = d
			}
		case "jwk", "jku", "x5u", "x5c":
			h.Embedded = true
			if err := s.Skip(); err != nil {
				return h, err
			}
		default:
			if err := s.Skip(); err != nil {
				return h, err
			}
		}
	}
	if err := s.End(); err != nil {
		return h, err
	}
	switch {
	case pbes2:
		return h, ErrPBES2
	case h.AlgRaw == nil:
		return h, ErrNoAlg
	case h.Alg == 0:
		return h, ErrUnknownAlg
	case h.EncRaw == nil:
		return h, ErrNoEnc
	case h.Enc == 0:
		return h, ErrUnknownEnc
	case crit:
		return h, ErrCrit
	case !cty:
		return h, ErrContentType
	}
	return h, nil
}

// NestedJWT reports whether a cty value names a JWT: "JWT" or "at+jwt",
// case-insensitively, with or without the "application/" prefix.
func NestedJWT(cty []byte) bool {
	v := string(cty)
	if len(v) > len("application/") && strings.EqualFold(v[:len("application/")], "application/") {
		v = v[len("application/"):]
	}
	return strings.EqualFold(v, "JWT") || strings.EqualFold(v, "at+jwt")
}
