package strictjson

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// ReadString reads a string value and returns its raw content (between the
// quotes) and whether it contains escapes; pass it to Unescape if so.
func (s *Scanner) ReadString() (raw []byte, escaped bool, err error) {
	s.skipSpace()
	return s.readString()
}

func (s *Scanner) readString() (raw []byte, escaped bool, err error) {
	d := s.data
	i := s.pos
	if i >= len(d) || d[i] != '"' {
		return nil, false, ErrSyntax
	}
	i++
	start := i
	// The common case, kept small and free of calls: eight bytes at a time
	// to the first byte to look at alone (a quote, a backslash, a control
	// character or a byte >= 0x80), which ends the string when it is a
	// quote. Anything else goes on in readStringRest.
	for i+8 <= len(d) {
		if m := special8(binary.LittleEndian.Uint64(d[i:])); m != 0 {
			i += bits.TrailingZeros64(m) >> 3
			if d[i] == '"' {
				s.pos = i + 1
				return d[start:i], false, nil
			}
			break
		}
		i += 8
	}
	return s.readStringRest(start, i)
}

// readStringRest reads the rest of the string whose content starts at
// start, from i on: every byte up to i is plain ASCII.
func (s *Scanner) readStringRest(start, i int) (raw []byte, escaped bool, err error) {
	d := s.data
	for {
		for i+8 <= len(d) {
			if m := special8(binary.LittleEndian.Uint64(d[i:])); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				goto found
			}
			i += 8
		}
		// The last seven bytes of the data, byte by byte.
		for i < len(d) && d[i] >= 0x20 && d[i] < 0x80 && d[i] != '\\' && d[i] != '"' {
			i++
		}
		if i >= len(d) {
			return nil, false, ErrSyntax
		}
	found:
		switch c := d[i]; {
		case c == '"':
			s.pos = i + 1
			return d[start:i], escaped, nil
		case c == '\\':
			escaped = true
			n, err := checkEscape(d[i:])
			if err != nil {
				return nil, false, err
			}
			i += n
		case c < 0x20:
			return nil, false, ErrSyntax
		default:
			r, n := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && n <= 1 {
				return nil, false, ErrUTF8
			}
			i += n
		}
	}
}

// special8 returns a word whose high bit is set in the byte of w, read
// little-endian, of the first quote, backslash, control character (< 0x20)
// or non-ASCII byte (>= 0x80): the bytes a string scan must look at one by
// one. Bytes after the first such byte may be marked wrongly (a borrow
// carries upwards), never one before it, so the lowest mark is exact; zero
// means none of the eight bytes is one of them.
func special8(w uint64) uint64 {
	const (
		lsb = 0x0101010101010101
		msb = 0x8080808080808080
	)
	ctl := (w - lsb*0x20) &^ w
	quote := w ^ (lsb * '"')
	quote = (quote - lsb) &^ quote
	bs := w ^ (lsb * '\\')
	bs = (bs - lsb) &^ bs
	return (ctl | quote | bs | w) & msb
}

// checkEscape validates the escape at the start of b and returns its length.
// A \u escape of a surrogate must be a high surrogate followed by a \u low
// surrogate.
func checkEscape(b []byte) (int, error) {
	if len(b) < 2 {
		return 0, ErrSyntax
	}
	switch b[1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, nil
	case 'u':
		r, ok := hex4(b[2:])
		if !ok {
			return 0, ErrSyntax
		}
		if !utf16.IsSurrogate(r) {
			return 6, nil
		}
		if r >= 0xDC00 || len(b) < 12 || b[6] != '\\' || b[7] != 'u' {
			return 0, ErrUTF8
		}
		r2, ok := hex4(b[8:])
		if !ok || r2 < 0xDC00 || r2 > 0xDFFF {
			return 0, ErrUTF8
		}
		return 12, nil
	}
	return 0, ErrSyntax
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// Unescape appends the unescaped form of a raw string (validated by the
// scanner) to dst.
func Unescape(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			dst = append(dst, c)
			i++
			continue
		}
		switch raw[i+1] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, _ := hex4(raw[i+2:])
			if utf16.IsSurrogate(r) {
				r2, _ := hex4(raw[i+8:])
				r = utf16.DecodeRune(r, r2)
				i += 6
			}
			dst = utf8.AppendRune(dst, r)
			i += 6
			continue
		default: // '"', '\\', '/'
			dst = append(dst, raw[i+1])
		}
		i += 2
	}
	return dst
}
