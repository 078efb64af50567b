package jwks

import (
	"encoding/json"
	"errors"

	"github.com/tokengate/tokengate/internal/strictjson"
	"github.com/tokengate/tokengate/verifier"
)

// rawKey is one entry of "keys" as it stands in the document, and whether
// it repeats a member name (at any depth inside it).
type rawKey struct {
	raw json.RawMessage
	dup bool
}

// scanJWKS reads a JWKS document with the strict scanner of
// internal/strictjson and returns the entries of its "keys" array. It
// refuses the document for syntax, invalid UTF-8, depth, trailing data and
// duplicate member names outside those entries (D6); an entry that repeats
// a name is returned marked, so that only that key is dropped. Then it
// checks the structure: a non-empty "keys" array of at most verifier.MaxKeys
// entries.
func scanJWKS(data []byte) ([]rawKey, error) {
	s := strictjson.NewScanner(data)
	switch s.Peek() {
	case strictjson.Object:
	case strictjson.Invalid:
		return nil, &notKeySet{"invalid JSON"}
	default:
		return nil, &notKeySet{"top level is not a JSON object"}
	}
	if err := s.BeginObject(); err != nil {
		return nil, jsonError(err)
	}
	var (
		m       strictjson.Members
		list    []rawKey
		n       int // entries of "keys", also past verifier.MaxKeys
		hasKeys bool
		isArray bool
	)
	for {
		name, ok, err := s.NextMember(&m)
		if err != nil {
			return nil, jsonError(err)
		}
		if !ok {
			break
		}
		if string(name) != "keys" || s.Peek() != strictjson.Array {
			hasKeys = hasKeys || string(name) == "keys"
			if err := s.Skip(); err != nil {
				return nil, jsonError(err)
			}
			continue
		}
		hasKeys, isArray = true, true
		if err := s.BeginArray(); err != nil {
			return nil, jsonError(err)
		}
		for {
			more, err := s.NextElement()
			if err != nil {
				return nil, jsonError(err)
			}
			if !more {
				break
			}
			raw, err := s.SkipRaw()
			dup := errors.Is(err, strictjson.ErrDuplicate)
			if err != nil && !dup {
				return nil, jsonError(err)
			}
			// Count every entry, keep no more than the limit allows.
			if n++; n <= verifier.MaxKeys {
				list = append(list, rawKey{raw, dup})
			}
		}
	}
	if err := s.End(); err != nil {
		return nil, jsonError(err)
	}
	switch {
	case !hasKeys:
		return nil, &notKeySet{`no "keys" member`}
	case !isArray:
		return nil, &notKeySet{`"keys" is not an array`}
	case n == 0:
		return nil, setError(`"keys" is empty`)
	case n > verifier.MaxKeys:
		return nil, setError("%d keys; at most %d", n, verifier.MaxKeys)
	}
	return list, nil
}

// jsonError refuses a set that is not strict JSON.
func jsonError(err error) error {
	if errors.Is(err, strictjson.ErrDuplicate) {
		return setError("duplicate member name outside the keys")
	}
	return setError("%v", err)
}
