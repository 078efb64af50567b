package strictjson

// SkipRaw reads and validates the next value as Skip does and returns its
// bytes, without the whitespace around them; they alias the input.
//
// A duplicate member name inside the value is the one error after which the
// scanner stays usable: SkipRaw still reads the value to its end, checking
// everything else as strictly (grammar, UTF-8, depth, number length), and
// returns its bytes with ErrDuplicate. The caller may then refuse that value
// alone and go on with the next one (a JWKS drops the one key that has
// duplicate member names and keeps the others). Any other error stops the
// scan, as in Skip, and raw is nil.
func (s *Scanner) SkipRaw() (raw []byte, err error) {
	s.skipSpace()
	start := s.pos
	var dup bool
	if err := s.skipNotingDuplicates(&dup); err != nil {
		return nil, err
	}
	if dup {
		return s.data[start:s.pos], ErrDuplicate
	}
	return s.data[start:s.pos], nil
}

// skipNotingDuplicates is Skip, except that a duplicate member name sets
// *dup and the scan goes on. It is kept apart from Skip, which the verifier
// calls per token, so that Skip stays as it is.
func (s *Scanner) skipNotingDuplicates(dup *bool) error {
	switch s.Peek() {
	case Object:
		if err := s.BeginObject(); err != nil {
			return err
		}
		var m Members
		for {
			_, ok, err := s.NextMember(&m)
			if err == ErrDuplicate {
				// NextMember returns ErrDuplicate (only from Members.Add)
				// right after the name, before the colon.
				*dup = true
				ok, err = true, s.colon()
			}
			if err != nil {
				return err
			}
			if !ok {
				return nil
			}
			if err := s.skipNotingDuplicates(dup); err != nil {
				return err
			}
		}
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
			if err := s.skipNotingDuplicates(dup); err != nil {
				return err
			}
		}
	}
	return s.Skip() // a scalar, or not a value
}

// colon consumes the ':' after a member name.
func (s *Scanner) colon() error {
	s.skipSpace()
	if s.pos >= len(s.data) || s.data[s.pos] != ':' {
		return ErrSyntax
	}
	s.pos++
	return nil
}
