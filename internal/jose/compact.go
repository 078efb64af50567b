package jose

import (
	"errors"
	"strings"
)

// Errors of the compact serialization layer.
var (
	ErrParts     = errors.New("not a compact JWS: want exactly three base64url parts")
	ErrBase64    = errors.New("not canonical unpadded base64url")
	ErrEmptyPart = errors.New("empty header, payload or signature")
)

// Split finds the two dots of a compact JWS. It allocates nothing, whatever
// the input (CVE-2025-30204 and CVE-2025-27144 were strings.Split on '.'),
// and uses the vectorised strings.IndexByte, so it costs little on the hot
// path. The alphabet itself is enforced by Decode, which every segment goes
// through.
func Split(token string) (dot1, dot2 int, err error) {
	dot1 = strings.IndexByte(token, '.')
	if dot1 < 0 {
		return 0, 0, ErrParts
	}
	dot2 = strings.IndexByte(token[dot1+1:], '.')
	if dot2 < 0 {
		return 0, 0, ErrParts
	}
	dot2 += dot1 + 1
	if strings.IndexByte(token[dot2+1:], '.') >= 0 {
		return 0, 0, ErrParts
	}
	if dot1 == 0 || dot2 == dot1+1 || dot2 == len(token)-1 {
		return 0, 0, ErrEmptyPart
	}
	for _, n := range [3]int{dot1, dot2 - dot1 - 1, len(token) - dot2 - 1} {
		if n%4 == 1 {
			return 0, 0, ErrBase64
		}
	}
	return dot1, dot2, nil
}

// DecodedLen is the decoded size of an unpadded base64url segment of n bytes
// (as base64.RawURLEncoding.DecodedLen).
func DecodedLen(n int) int { return n/4*3 + n%4*6/8 }

// Decode decodes the base64url segment src into dst, which must have room
// for DecodedLen(len(src)) bytes, and returns the decoded bytes. Any byte
// outside the base64url alphabet (padding, '+', '/', spaces, CR and LF
// included) and non-zero trailing bits are refused, so every byte string has
// one encoding only (SECURITY.md B1-B3). See base64url.go.
func Decode(dst []byte, src string) ([]byte, error) {
	out, ok := decodeStrict(dst, src)
	if !ok {
		return nil, ErrBase64
	}
	return out, nil
}
