package jose

import "encoding/binary"

// The strict base64url decoder of Decode. It accepts exactly what
// base64.RawURLEncoding.Strict() accepts minus CR and LF (which
// encoding/base64 skips): the 64 characters of the URL-safe alphabet, no
// padding, a length that is not 1 modulo 4, and zero trailing bits in the
// last character. It differs from encoding/base64 in speed only (FuzzDecode
// compares the two): a quantum of four characters is decoded by four table
// loads and three ORs, with no branch per character, and four quanta are
// written with two 64-bit stores; an invalid character sets the quantum's
// fourth byte, which every valid entry leaves zero, and the decoder checks
// that byte once per segment. It costs about 4.5 instructions per character
// where encoding/base64 (plus the CR/LF scans Decode needed with it) costs
// about 12.

// b64Bad marks a byte outside the alphabet in every table: it lands in the
// fourth byte of a quantum, which a valid character never sets.
const b64Bad = 0xff000000

// b64Tab[k][c] is character c, in position k of a quantum, decoded into the
// bits it contributes to the quantum's three bytes, laid out as a
// little-endian uint32 (byte 0 in the low bits), so that one
// binary.LittleEndian.PutUint32 writes the three bytes in order.
var b64Tab = func() (t [4][256]uint32) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for k := range t {
		for c := range t[k] {
			t[k][c] = b64Bad
		}
	}
	for v, c := range []byte(alphabet) {
		// The 24 bits of a quantum are aaaaaabb bbbbcccc ccdddddd.
		x := uint32(v)
		t[0][c] = x << 2
		t[1][c] = x>>4 | (x&0xf)<<12
		t[2][c] = x>>2<<8 | (x&0x3)<<22
		t[3][c] = x << 16
	}
	return t
}()

// b64TabP points at b64Tab. Loaded into a register once per call, it lets
// every lookup be one load off that register: the compiler recomputes the
// address of a global table at every use.
var b64TabP = &b64Tab

// decodedLen is the length of the decoded form of an unpadded segment of n
// characters, and false when no segment has that length (n ≡ 1 mod 4).
func decodedLen(n int) (int, bool) {
	switch n % 4 {
	case 0:
		return n / 4 * 3, true
	case 2:
		return n/4*3 + 1, true
	case 3:
		return n/4*3 + 2, true
	}
	return 0, false
}

// decodeStrict decodes src into dst[:decodedLen(len(src))]; dst must be that
// long at least. It reports false for any input outside the canonical
// unpadded base64url encodings; dst's content is then undefined.
func decodeStrict(dst []byte, src string) ([]byte, bool) {
	n, ok := decodedLen(len(src))
	if !ok {
		return nil, false
	}
	out := dst[:n]
	t := b64TabP
	var bad uint32
	// Four quanta per round, written with two 64-bit stores of six bytes
	// each and two more bytes that the next store overwrites: while those
	// are still in out. (bad goes into the two spare bytes only so that the
	// compiler keeps each store whole.)
	d := out
	for len(src) >= 16 && len(d) >= 14 {
		a := t[0][src[0]] | t[1][src[1]] | t[2][src[2]] | t[3][src[3]]
		b := t[0][src[4]] | t[1][src[5]] | t[2][src[6]] | t[3][src[7]]
		c := t[0][src[8]] | t[1][src[9]] | t[2][src[10]] | t[3][src[11]]
		e := t[0][src[12]] | t[1][src[13]] | t[2][src[14]] | t[3][src[15]]
		bad |= a | b | c | e
		binary.LittleEndian.PutUint64(d, uint64(a)|uint64(b)<<24|uint64(bad)<<56)
		binary.LittleEndian.PutUint64(d[6:], uint64(c)|uint64(e)<<24|uint64(bad)<<56)
		src, d = src[16:], d[12:]
	}
	// The last full quanta, byte by byte.
	for len(src) >= 4 {
		a := t[0][src[0]] | t[1][src[1]] | t[2][src[2]] | t[3][src[3]]
		bad |= a
		d[2], d[1], d[0] = byte(a>>16), byte(a>>8), byte(a)
		src, d = src[4:], d[3:]
	}
	// A final partial quantum: its unused low bits, which fall in the byte
	// after the last one written, must be zero (SECURITY.md B3); they are
	// moved into the fourth byte, the one that marks a bad character.
	switch len(src) {
	case 2:
		a := t[0][src[0]] | t[1][src[1]]
		bad |= a | a&0xff00<<16
		d[0] = byte(a)
	case 3:
		a := t[0][src[0]] | t[1][src[1]] | t[2][src[2]]
		bad |= a | a&0xff0000<<8
		d[1], d[0] = byte(a>>8), byte(a)
	}
	return out, bad&b64Bad == 0
}
