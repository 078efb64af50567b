package strictjson

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Errors of the JSON scanner.
var (
	ErrSyntax    = errors.New("invalid JSON")
	ErrDuplicate = errors.New("duplicate JSON member name")
	ErrDepth     = errors.New("JSON nested too deeply")
	ErrUTF8      = errors.New("invalid UTF-8 in JSON string")
	ErrTrailing  = errors.New("data after the JSON value")
	ErrNumber    = errors.New("JSON number too long")
)

// MaxDepth bounds nesting of objects and arrays (SECURITY-CASES Z3).
const MaxDepth = 32

// maxNumberLen bounds the text of one JSON number (Z6).
const maxNumberLen = 64

// Scanner reads one JSON value strictly: RFC 8259 grammar, valid UTF-8 in
// strings, no lone surrogate escapes, no duplicate member names at any depth
// (also after unescaping, and also when two names differ only by case, which
// encoding/json would merge), bounded depth, and nothing after the value but
// whitespace. It walks the input in place and allocates only when a member
// name contains escapes or an object has many members.
type Scanner struct {
	data  []byte
	pos   int
	depth int
}

// NewScanner returns a scanner over data.
func NewScanner(data []byte) Scanner { return Scanner{data: data} }

// Kind is the JSON type of the next value.
type Kind uint8

// Value kinds.
const (
	Invalid Kind = iota
	Object
	Array
	String
	Number
	Bool
	Null
)

func (s *Scanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// Peek returns the kind of the next value without consuming it.
func (s *Scanner) Peek() Kind {
	s.skipSpace()
	if s.pos >= len(s.data) {
		return Invalid
	}
	switch c := s.data[s.pos]; {
	case c == '{':
		return Object
	case c == '[':
		return Array
	case c == '"':
		return String
	case c == '-' || (c >= '0' && c <= '9'):
		return Number
	case c == 't' || c == 'f':
		return Bool
	case c == 'n':
		return Null
	}
	return Invalid
}

// End checks that only whitespace follows the value read.
func (s *Scanner) End() error {
	s.skipSpace()
	if s.pos != len(s.data) {
		return ErrTrailing
	}
	return nil
}

// Members tracks the member names of one object to refuse duplicates. Its
// zero value is ready; it lives on the caller's stack. The first names are
// compared in place; past them an open-addressing index by fold hash keeps
// each Add O(1), so an object of many members costs linear time
// (SECURITY-CASES Z4: a header is parsed before its signature is checked).
type Members struct {
	n      int
	hashes [24]uint32
	names  [24][]byte
	more   []memberName // names past the inline arrays
	index  []int32      // position+1 of every name by fold hash; 0 = empty
	probes int          // index slots examined by Add (tests check it stays linear)
}

type memberName struct {
	hash uint32
	name []byte
}

// foldHash hashes name with each rune replaced by one representative of its
// Unicode simple-folding orbit (ASCII letters by their lower case). Names
// that bytes.EqualFold finds equal hash alike, so one lookup finds exact and
// case-folded duplicates, U+212A KELVIN SIGN against "k" included.
func foldHash(name []byte) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(name); {
		c := name[i]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			h = (h ^ uint32(c)) * 16777619
			i++
			continue
		}
		r, n := utf8.DecodeRune(name[i:])
		i += n
		for r = foldRune(r); r > 0; r >>= 8 {
			h = (h ^ uint32(r&0xff)) * 16777619
		}
	}
	return h
}

// foldRune returns the smallest rune of r's simple-folding orbit, lower-cased
// when it is an ASCII letter (as foldHash folds ASCII).
func foldRune(r rune) rune {
	lo := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		lo = min(lo, f)
	}
	if lo >= 'A' && lo <= 'Z' {
		lo += 'a' - 'A'
	}
	return lo
}

func (m *Members) at(i int) (uint32, []byte) {
	if i < len(m.hashes) {
		return m.hashes[i], m.names[i]
	}
	e := m.more[i-len(m.hashes)]
	return e.hash, e.name
}

// Add records name and returns ErrDuplicate if an earlier name is equal to
// it under Unicode case folding (which includes exact equality); the
// duplicate is then not recorded. NextMember calls it for each member name;
// call it directly to keep other lists duplicate-free (a JWS "crit" list).
// name must stay valid for the life of m.
func (m *Members) Add(name []byte) error {
	h := foldHash(name)
	if m.n < len(m.hashes) {
		for i := 0; i < m.n; i++ {
			if m.hashes[i] == h && bytes.EqualFold(m.names[i], name) {
				return ErrDuplicate
			}
		}
		m.hashes[m.n], m.names[m.n] = h, name
		m.n++
		return nil
	}
	if 2*(m.n+1) > len(m.index) {
		m.grow()
	}
	mask := uint32(len(m.index) - 1)
	j := h & mask
	for ; m.index[j] != 0; j = (j + 1) & mask {
		m.probes++
		oh, o := m.at(int(m.index[j] - 1))
		if oh == h && bytes.EqualFold(o, name) {
			return ErrDuplicate
		}
	}
	m.more = append(m.more, memberName{h, name})
	m.index[j] = int32(m.n + 1)
	m.n++
	return nil
}

// grow doubles the index (at least 64 slots) and re-inserts every name.
func (m *Members) grow() {
	m.index = make([]int32, max(64, 2*len(m.index)))
	mask := uint32(len(m.index) - 1)
	for i := 0; i < m.n; i++ {
		h, _ := m.at(i)
		j := h & mask
		for m.index[j] != 0 {
			j = (j + 1) & mask
		}
		m.index[j] = int32(i + 1)
	}
}

// BeginObject consumes '{'.
func (s *Scanner) BeginObject() error {
	s.skipSpace()
	if s.pos >= len(s.data) || s.data[s.pos] != '{' {
		return ErrSyntax
	}
	if s.depth++; s.depth > MaxDepth {
		return ErrDepth
	}
	s.pos++
	return nil
}

// NextMember reads the next member name of the current object and the colon
// after it, recording the name in m. It returns ok=false (and consumes '}')
// at the end of the object. first must be true for the first call on an
// object. The returned name is unescaped; it aliases the input unless it
// contained escapes.
func (s *Scanner) NextMember(m *Members, first bool) (name []byte, ok bool, err error) {
	s.skipSpace()
	if s.pos >= len(s.data) {
		return nil, false, ErrSyntax
	}
	c := s.data[s.pos]
	if c == '}' {
		s.pos++
		s.depth--
		return nil, false, nil
	}
	if !first {
		if c != ',' {
			return nil, false, ErrSyntax
		}
		s.pos++
		s.skipSpace()
	}
	raw, esc, err := s.readString()
	if err != nil {
		return nil, false, err
	}
	name = raw
	if esc {
		name = Unescape(nil, raw)
	}
	if err := m.Add(name); err != nil {
		return nil, false, err
	}
	s.skipSpace()
	if s.pos >= len(s.data) || s.data[s.pos] != ':' {
		return nil, false, ErrSyntax
	}
	s.pos++
	return name, true, nil
}

// BeginArray consumes '['.
func (s *Scanner) BeginArray() error {
	s.skipSpace()
	if s.pos >= len(s.data) || s.data[s.pos] != '[' {
		return ErrSyntax
	}
	if s.depth++; s.depth > MaxDepth {
		return ErrDepth
	}
	s.pos++
	return nil
}

// NextElement positions the scanner on the next array element; it returns
// false (and consumes ']') at the end of the array.
func (s *Scanner) NextElement(first bool) (bool, error) {
	s.skipSpace()
	if s.pos >= len(s.data) {
		return false, ErrSyntax
	}
	c := s.data[s.pos]
	if c == ']' {
		s.pos++
		s.depth--
		return false, nil
	}
	if !first {
		if c != ',' {
			return false, ErrSyntax
		}
		s.pos++
	}
	return true, nil
}

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
	for i < len(d) {
		// Skip eight plain ASCII bytes at a time: no quote, no backslash, no
		// control character, no byte >= 0x80.
		for i+8 <= len(d) && !special8(binary.LittleEndian.Uint64(d[i:])) {
			i += 8
		}
		if i >= len(d) {
			break
		}
		c := d[i]
		switch {
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
		case c < 0x80:
			i++
		default:
			r, n := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && n <= 1 {
				return nil, false, ErrUTF8
			}
			i += n
		}
	}
	return nil, false, ErrSyntax
}

// special8 reports whether any of the eight bytes of w is a quote, a
// backslash, a control character (< 0x20) or not ASCII (>= 0x80): the bytes
// a string scan must look at one by one.
func special8(w uint64) bool {
	const (
		lsb = 0x0101010101010101
		msb = 0x8080808080808080
	)
	ctl := (w - lsb*0x20) &^ w
	quote := w ^ (lsb * '"')
	quote = (quote - lsb) &^ quote
	bs := w ^ (lsb * '\\')
	bs = (bs - lsb) &^ bs
	return (ctl|quote|bs|w)&msb != 0
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

// ReadNumber reads a number value and returns its text.
func (s *Scanner) ReadNumber() ([]byte, error) {
	s.skipSpace()
	d := s.data
	start := s.pos
	i := start
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	default:
		return nil, ErrSyntax
	}
	if i < len(d) && d[i] == '.' {
		i++
		j := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		if i == j {
			return nil, ErrSyntax
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		j := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		if i == j {
			return nil, ErrSyntax
		}
	}
	if i-start > maxNumberLen {
		return nil, ErrNumber
	}
	s.pos = i
	return d[start:i], nil
}

// ReadFloat reads a number value as a float64.
func (s *Scanner) ReadFloat() (float64, error) {
	b, err := s.ReadNumber()
	if err != nil {
		return 0, err
	}
	// Fast path for the common case, a non-negative integer of up to 15
	// digits (exact in a float64), such as every exp and iat.
	if len(b) <= 15 {
		var n int64
		for _, c := range b {
			if c < '0' || c > '9' {
				goto slow
			}
			n = n*10 + int64(c-'0')
		}
		return float64(n), nil
	}
slow:
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return 0, ErrNumber
	}
	return f, nil
}

// ReadBool reads true or false.
func (s *Scanner) ReadBool() (bool, error) {
	s.skipSpace()
	switch {
	case bytes.HasPrefix(s.data[s.pos:], []byte("true")):
		s.pos += 4
		return true, nil
	case bytes.HasPrefix(s.data[s.pos:], []byte("false")):
		s.pos += 5
		return false, nil
	}
	return false, ErrSyntax
}

// ReadNull reads null.
func (s *Scanner) ReadNull() error {
	s.skipSpace()
	if !bytes.HasPrefix(s.data[s.pos:], []byte("null")) {
		return ErrSyntax
	}
	s.pos += 4
	return nil
}

// Skip reads and validates any value, with the same strictness.
func (s *Scanner) Skip() error {
	switch s.Peek() {
	case Object:
		if err := s.BeginObject(); err != nil {
			return err
		}
		var m Members
		for first := true; ; first = false {
			_, ok, err := s.NextMember(&m, first)
			if err != nil {
				return err
			}
			if !ok {
				return nil
			}
			if err := s.Skip(); err != nil {
				return err
			}
		}
	case Array:
		if err := s.BeginArray(); err != nil {
			return err
		}
		for first := true; ; first = false {
			ok, err := s.NextElement(first)
			if err != nil {
				return err
			}
			if !ok {
				return nil
			}
			if err := s.Skip(); err != nil {
				return err
			}
		}
	case String:
		_, _, err := s.readString()
		return err
	case Number:
		_, err := s.ReadNumber()
		return err
	case Bool:
		_, err := s.ReadBool()
		return err
	case Null:
		return s.ReadNull()
	}
	return ErrSyntax
}

// Valid reports whether data is exactly one strict JSON value.
func Valid(data []byte) error {
	s := NewScanner(data)
	if err := s.Skip(); err != nil {
		return err
	}
	return s.End()
}

// ValidObject reports whether data is exactly one strict JSON object.
func ValidObject(data []byte) error {
	s := NewScanner(data)
	if s.Peek() != Object {
		return ErrSyntax
	}
	if err := s.Skip(); err != nil {
		return err
	}
	return s.End()
}
