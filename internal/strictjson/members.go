package strictjson

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"unicode"
	"unicode/utf8"
)

// MaxMembers bounds the members of one object (SECURITY.md X2). No
// document this package reads comes near it: a JOSE header has a handful of
// registered members (and at most 4 KiB), a JWK about twenty even with every
// RSA private-key parameter, a discovery document a few dozen, and a claims
// set a dozen registered claims plus its custom ones. Objects are counted
// one by one, so a JWKS "keys" array of many keys is not limited by it.
// With the cap, even an index whose hash an attacker could predict would cost
// at most MaxMembers²/2 probes per object.
const MaxMembers = 1024

// Members tracks the member names of one object to refuse duplicates. Its
// zero value is ready; it lives on the caller's stack. The first names are
// compared in place; past them an open-addressing index keeps each Add O(1).
// The index hashes with a per-process random seed (hash/maphash), so names
// cannot be chosen offline to share a probe chain, and an object has at most
// MaxMembers members: the cost is linear for every input (SECURITY.md Z4,
// X2: a header is parsed before its signature is checked, and the claims
// before iss is known when several issuers are configured).
type Members struct {
	n      int
	bloom  uint64     // two bits per inline name, chosen by its quickHash
	hashes [24]uint32 // quickHash of the inline names
	names  [24][]byte
	more   []memberName // every name, once there are more than the inline arrays hold
	index  []int32      // position+1 in more of every name by indexHash; 0 = empty
	probes int          // index slots examined by Add (tests check it stays linear)
}

type memberName struct {
	hash uint64 // indexHash
	name []byte
}

// seed keys indexHash; it is drawn once per process.
var seed = maphash.MakeSeed()

// quickHash hashes the first and the last eight bytes of name's folded
// form (AppendFold), each byte ORed with 0x20, so that names bytes.EqualFold
// finds equal hash alike. It is unseeded and only filters the comparisons
// among the inline names, whose number is fixed: a crafted collision there
// costs at most one comparison with each of 24 names. A name whose first and
// last eight bytes are ASCII (JSON claim names, namespaced ones included)
// costs two loads: ASCII folds to itself, lower-cased, which the OR with
// 0x20 covers. Other names are folded rune by rune, as before.
func quickHash(name []byte) uint32 {
	const high = 0x8080808080808080
	if n := len(name); n >= 8 {
		a := binary.LittleEndian.Uint64(name)
		z := binary.LittleEndian.Uint64(name[n-8:])
		if (a|z)&high != 0 {
			return mixEnds(foldEnds(name))
		}
		return mixEnds(a, z)
	}
	var a uint64
	for i, c := range name {
		if c >= utf8.RuneSelf {
			return mixEnds(foldEnds(name))
		}
		a |= uint64(c) << (8 * i)
	}
	return mixEnds(a, a)
}

// mixEnds is quickHash of the ends a and z of a folded form.
func mixEnds(a, z uint64) uint32 {
	const space = 0x2020202020202020
	x := (a|space)*0x9e3779b97f4a7c15 ^ (z|space)*0xc2b2ae3d27d4eb4f
	return uint32(x>>32) ^ uint32(x)
}

// foldEnds returns the first and the last eight bytes (fewer, zero-padded
// above, when the form is shorter) of name's folded form as little-endian
// words, folding rune by rune as AppendFold does.
func foldEnds(name []byte) (a, z uint64) {
	var buf [utf8.UTFMax]byte
	n := 0 // bytes of the folded form so far
	for i := 0; i < len(name); {
		r, size := utf8.DecodeRune(name[i:])
		i += size
		if r < utf8.RuneSelf {
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
		} else {
			r = foldRune(r)
		}
		for _, c := range utf8.AppendRune(buf[:0], r) {
			if n < 8 {
				a |= uint64(c) << (8 * n)
			}
			z = z>>8 | uint64(c)<<56
			n++
		}
	}
	if n < 8 {
		z >>= 8 * (8 - n)
	}
	return a, z
}

// indexHash is the seeded hash of name's folded form (AppendFold), so that
// names bytes.EqualFold finds equal hash alike, U+212A KELVIN SIGN against
// "k" included.
func indexHash(name []byte) uint64 {
	var buf [64]byte
	if len(name) <= len(buf)/utf8.UTFMax {
		// Folding a rune never takes more than utf8.UTFMax bytes.
		return maphash.Bytes(seed, AppendFold(buf[:0], name))
	}
	var h maphash.Hash
	h.SetSeed(seed)
	for len(name) > 0 {
		n := min(len(name), len(buf)/utf8.UTFMax)
		for n < len(name) && !utf8.RuneStart(name[n]) {
			n-- // do not split a rune
		}
		h.Write(AppendFold(buf[:0], name[:n]))
		name = name[n:]
	}
	return h.Sum64()
}

// AppendFold appends to dst the folded form of name: each rune replaced by
// the smallest rune of its Unicode simple-folding orbit, ASCII letters by
// their lower case. Two names have the same folded form exactly when
// bytes.EqualFold finds them equal, which is also when encoding/json
// matches one to a struct field named by the other (its foldName: U+017F
// and "s", U+212A and "k" included).
func AppendFold(dst, name []byte) []byte {
	for i := 0; i < len(name); {
		c := name[i]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(name[i:])
		i += n
		dst = utf8.AppendRune(dst, foldRune(r))
	}
	return dst
}

// foldRune returns the smallest rune of r's simple-folding orbit, lower-cased
// when it is an ASCII letter (as the hashes fold ASCII).
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

// Add records name and returns ErrDuplicate if an earlier name is equal to
// it under Unicode case folding (which includes exact equality); the
// duplicate is then not recorded. It returns ErrMembers when m holds
// MaxMembers names already. NextMember calls it for each member name; call
// it directly to keep other lists duplicate-free (a JWS "crit" list). name
// must stay valid for the life of m.
func (m *Members) Add(name []byte) error {
	if m.n < len(m.hashes) {
		h := quickHash(name)
		// The hashes are compared only when both bits of this one are
		// set in bloom: for the names of a claims set, about one time in
		// five.
		b := uint64(1)<<(h&63) | uint64(1)<<(h>>6&63)
		if m.bloom&b == b {
			for i := 0; i < m.n; i++ {
				if m.hashes[i] == h && bytes.EqualFold(m.names[i], name) {
					return ErrDuplicate
				}
			}
		}
		m.bloom |= b
		m.hashes[m.n], m.names[m.n] = h, name
		m.n++
		return nil
	}
	if m.n >= MaxMembers {
		return ErrMembers
	}
	if m.more == nil {
		// The first name past the inline arrays: from now on more holds
		// every name with its seeded hash, the inline ones first.
		m.more = make([]memberName, m.n, 4*m.n)
		for i := range m.n {
			m.more[i] = memberName{indexHash(m.names[i]), m.names[i]}
		}
	}
	if 2*(m.n+1) > len(m.index) {
		m.grow()
	}
	h := indexHash(name)
	mask := uint64(len(m.index) - 1)
	j := h & mask
	for ; m.index[j] != 0; j = (j + 1) & mask {
		m.probes++
		if e := m.more[m.index[j]-1]; e.hash == h && bytes.EqualFold(e.name, name) {
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
	mask := uint64(len(m.index) - 1)
	for i, e := range m.more {
		j := e.hash & mask
		for m.index[j] != 0 {
			j = (j + 1) & mask
		}
		m.index[j] = int32(i + 1)
	}
}
