package strictjson

import (
	"bytes"
	"errors"
	"strconv"
)

// Errors of the JSON scanner.
var (
	ErrSyntax    = errors.New("invalid JSON")
	ErrDuplicate = errors.New("duplicate JSON member name")
	ErrDepth     = errors.New("JSON nested too deeply")
	ErrUTF8      = errors.New("invalid UTF-8 in JSON string")
	ErrTrailing  = errors.New("data after the JSON value")
	ErrNumber    = errors.New("JSON number too long")
	ErrMembers   = errors.New("JSON object has too many members")
)

// MaxDepth bounds nesting of objects and arrays (SECURITY.md Z3).
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
	// opened is set by BeginObject and BeginArray and cleared by the next
	// NextMember or NextElement: the first member or element of a
	// container has no comma before it, every later one has one.
	opened bool
	// checked is set by NewCheckedScanner: member names are not recorded.
	checked bool
}

// NewScanner returns a scanner over data.
func NewScanner(data []byte) Scanner { return Scanner{data: data} }

// NewCheckedScanner returns a scanner over data that a Scanner has read
// whole before, with every check, and accepted (Valid, or a full pass that
// read or skipped every value): data must not have changed since. It does
// not record member names again, the one check whose cost a second pass
// would pay again for nothing (hashing and comparing every name: no
// duplicate can have appeared); NextMember then ignores its Members, which
// may be nil. Every other check still runs. The verifier's second pass over
// a verified payload (custom claims) uses it.
func NewCheckedScanner(data []byte) Scanner { return Scanner{data: data, checked: true} }

// Checked reports whether s was made by NewCheckedScanner or
// NewCheckedScannerAt: its NextMember does not record member names, and
// may be given a nil Members.
func (s *Scanner) Checked() bool { return s.checked }

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
	// Most calls find a value or a delimiter at once: a byte above ' ' is
	// none of the four whitespace bytes.
	if s.pos < len(s.data) && s.data[s.pos] > ' ' {
		return
	}
	s.skipSpaceLoop()
}

func (s *Scanner) skipSpaceLoop() {
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
	s.opened = true
	return nil
}

// NextMember reads the next member name of the object that BeginObject
// opened and the colon after it, recording the name in m (one Members per
// object). It returns ok=false, and consumes '}', at the end of the object.
// Between two calls the caller reads the member's value (any value, nested
// containers included). The name is unescaped; it aliases the input unless
// it contained escapes. The loop over an object is:
//
//	for {
//		name, ok, err := s.NextMember(&m)
//		if err != nil { ... }
//		if !ok { break }
//		// read or Skip the value
//	}
func (s *Scanner) NextMember(m *Members) (name []byte, ok bool, err error) {
	s.skipSpace()
	if s.pos >= len(s.data) {
		return nil, false, ErrSyntax
	}
	first := s.opened
	s.opened = false
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
	if !s.checked {
		if err := m.Add(name); err != nil {
			return nil, false, err
		}
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
	s.opened = true
	return nil
}

// NextElement positions the scanner on the next element of the array that
// BeginArray opened; it returns false, and consumes ']', at the end of the
// array. Between two calls the caller reads the element, as with
// NextMember.
func (s *Scanner) NextElement() (bool, error) {
	s.skipSpace()
	if s.pos >= len(s.data) {
		return false, ErrSyntax
	}
	first := s.opened
	s.opened = false
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
		if s.checked {
			return s.skipObject(nil)
		}
		var m Members
		return s.skipObject(&m)
	case Array:
		if err := s.BeginArray(); err != nil {
			return err
		}
		for {
			ok, err := s.NextElement()
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

// Offset returns the position of the scanner in its data: where the next
// call starts reading (before any whitespace).
func (s *Scanner) Offset() int { return s.pos }

// NewCheckedScannerAt is NewCheckedScanner positioned at off, the Offset
// that a scanner reading data had before one of its values: it reads that
// value. A second pass can so go straight to the values it wants.
func NewCheckedScannerAt(data []byte, off int) Scanner {
	return Scanner{data: data, pos: off, checked: true}
}

// skipObject is Skip of an object, recording its names in m (nil for a
// checked scanner, which does not record them).
func (s *Scanner) skipObject(m *Members) error {
	if err := s.BeginObject(); err != nil {
		return err
	}
	for {
		_, ok, err := s.NextMember(m)
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
