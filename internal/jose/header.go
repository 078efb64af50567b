package jose

import (
	"errors"

	"github.com/tokengate/tokengate/internal/strictjson"
)

// Header is the policy-checked protected header of a JWS.
type Header struct {
	Alg    Alg
	AlgRaw []byte // the alg text as sent (for messages); aliases the input
	Kid    []byte // unescaped; aliases the input unless it had escapes
	HasKid bool
	Typ    []byte // unescaped
	HasTyp bool
	// Embedded key material or key URLs. They are never used to choose or
	// fetch a key; a policy switch can refuse tokens that carry them.
	Embedded bool
	// JWK is the raw JSON of the jwk member (aliasing the input), nil when
	// absent. Package verifier never reads it; package dpop parses it as the
	// proof's own public key (RFC 9449 section 4.2).
	JWK []byte
}

// Header policy errors. Each names the failure for ValidationError messages.
var (
	ErrNoAlg        = errors.New(`header has no "alg"`)
	ErrUnknownAlg   = errors.New(`header "alg" is not a supported algorithm`)
	ErrHeaderType   = errors.New("header member of the wrong JSON type")
	ErrKidTooLong   = errors.New(`header "kid" too long`)
	ErrKidControl   = errors.New(`header "kid" contains control characters`)
	ErrCrit         = errors.New(`header "crit" names extensions that are not understood`)
	ErrCritSyntax   = errors.New(`header "crit" is malformed`)
	ErrB64          = errors.New(`header "b64" is not allowed in a JWT`)
	ErrNested       = errors.New(`header "cty" is not allowed (nested or non-JWT content)`)
	ErrEncrypted    = errors.New("JWE header members are not supported")
	ErrNotAnObject  = errors.New("header is not a JSON object")
	ErrHeaderTooBig = errors.New("header too large")
)

// MaxKid bounds the kid (SECURITY.md KD3).
const MaxKid = 256

// MaxHeader bounds the decoded header (Z2).
const MaxHeader = 4096

// ParseHeader parses the decoded protected header strictly (SECURITY.md
// 2, 3.1, 3.4-3.7): a duplicate-free JSON object whose "alg" is one of ours,
// compared case-sensitively; "kid" a bounded string without control
// characters; "crit", "b64", "cty" and JWE members refused; jwk/jku/x5u/x5c/
// x5t noted but never used (the jwk kept raw in Header.JWK for package
// dpop, which alone gives it a meaning); any other member ignored.
func ParseHeader(data []byte) (Header, error) {
	var h Header
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
	var crit bool
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
			a, ok := ParseAlg(string(v))
			if !ok {
				h.Alg = 0
			} else {
				h.Alg = a
			}
		case "kid":
			v, err := kidValue(&s)
			if err != nil {
				return h, err
			}
			h.Kid, h.HasKid = v, true
		case "typ":
			v, err := stringValue(&s)
			if err != nil {
				return h, err
			}
			h.Typ, h.HasTyp = v, true
		case "crit":
			if err := checkCrit(&s); err != nil {
				return h, err
			}
			crit = true
		case "b64":
			return h, ErrB64
		case "cty":
			return h, ErrNested
		case "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c":
			return h, ErrEncrypted
		case "jwk":
			h.Embedded = true
			raw, err := s.SkipRaw()
			if err != nil {
				return h, err
			}
			h.JWK = raw
		case "jku", "x5u", "x5c":
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
	if h.AlgRaw == nil {
		return h, ErrNoAlg
	}
	if h.Alg == 0 {
		return h, ErrUnknownAlg
	}
	if crit {
		// We understand no extension, so a well-formed crit always fails
		// (RFC 7515 section 4.1.11).
		return h, ErrCrit
	}
	return h, nil
}

// kidValue reads a "kid" member value (of a JWS or a JWE header): a string
// of at most MaxKid bytes without control characters.
func kidValue(s *strictjson.Scanner) ([]byte, error) {
	v, err := stringValue(s)
	if err != nil {
		return nil, err
	}
	if len(v) > MaxKid {
		return nil, ErrKidTooLong
	}
	for _, c := range v {
		if c < 0x20 || c == 0x7f {
			return nil, ErrKidControl
		}
	}
	return v, nil
}

// stringValue reads a string member value, unescaped.
func stringValue(s *strictjson.Scanner) ([]byte, error) {
	if s.Peek() != strictjson.String {
		if s.Peek() == strictjson.Invalid {
			return nil, strictjson.ErrSyntax
		}
		return nil, ErrHeaderType
	}
	raw, esc, err := s.ReadString()
	if err != nil {
		return nil, err
	}
	if esc {
		raw = strictjson.Unescape(nil, raw)
	}
	return raw, nil
}

// checkCrit validates the syntax of crit: a non-empty array of distinct
// strings naming no registered header parameter.
func checkCrit(s *strictjson.Scanner) error {
	if s.Peek() != strictjson.Array {
		if err := s.Skip(); err != nil {
			return err
		}
		return ErrCritSyntax
	}
	if err := s.BeginArray(); err != nil {
		return err
	}
	var m strictjson.Members
	n := 0
	for {
		ok, err := s.NextElement()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		v, err := stringValue(s)
		if err != nil {
			if errors.Is(err, ErrHeaderType) {
				return ErrCritSyntax
			}
			return err
		}
		if err := m.Add(v); err != nil {
			return ErrCritSyntax
		}
		switch string(v) {
		case "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc", "zip":
			return ErrCritSyntax
		}
		n++
	}
	if n == 0 {
		return ErrCritSyntax
	}
	return nil
}
