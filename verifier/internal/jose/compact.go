package jose

import (
	"encoding/base64"
	"errors"
)

// Errors of the compact serialization layer.
var (
	ErrParts     = errors.New("not a compact JWS: want exactly three base64url parts")
	ErrBase64    = errors.New("not canonical unpadded base64url")
	ErrEmptyPart = errors.New("empty header, payload or signature")
)

// b64url marks the 64 characters of the base64url alphabet.
var b64url = func() (t [256]bool) {
	for _, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" {
		t[c] = true
	}
	return t
}()

// Split finds the two dots of a compact JWS in one pass, checking every
// other byte against the base64url alphabet. It allocates nothing, whatever
// the input (CVE-2025-30204 and CVE-2025-27144 were strings.Split on '.').
// It rejects padding, whitespace, CR/LF and the standard alphabet, which
// encoding/base64's Strict mode would let through or ignore.
func Split(token string) (dot1, dot2 int, err error) {
	dot1, dot2 = -1, -1
	for i := 0; i < len(token); i++ {
		c := token[i]
		if b64url[c] {
			continue
		}
		if c != '.' {
			return 0, 0, ErrBase64
		}
		switch {
		case dot1 < 0:
			dot1 = i
		case dot2 < 0:
			dot2 = i
		default:
			return 0, 0, ErrParts
		}
	}
	if dot2 < 0 {
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

var strictB64 = base64.RawURLEncoding.Strict()

// DecodedLen is the decoded size of an unpadded base64url segment of n bytes.
func DecodedLen(n int) int { return base64.RawURLEncoding.DecodedLen(n) }

// Decode decodes the base64url segment src into dst, which must have room
// for DecodedLen(len(src)) bytes, and returns the decoded bytes. Non-zero
// trailing bits are refused, so every byte string has one encoding only
// (SECURITY-CASES B3). Callers have checked the alphabet with Split.
func Decode(dst []byte, src string) ([]byte, error) {
	n, err := strictB64.Decode(dst, bytesOf(src))
	if err != nil {
		return nil, ErrBase64
	}
	return dst[:n], nil
}
