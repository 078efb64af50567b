package strictjson

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

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
