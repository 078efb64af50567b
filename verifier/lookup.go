package verifier

import (
	"encoding/json"

	"github.com/tokengate/tokengate/internal/strictjson"
)

// Lookup returns the JSON text of the top-level claim name as the token
// carried it, and whether the token has that claim. name is compared
// exactly, after unescaping: namespaced claims ("https://example.com/roles")
// are looked up as they are, with no path syntax. The payload verified
// before Lookup reads it, and strictly (no duplicates, valid UTF-8), so the
// value is what every other parser of this token sees.
//
// The slice is part of the verified payload, shared with the cache and
// other requests: do not modify it (appending is safe: its capacity ends
// with it). Each call scans the payload; for claims read on every request,
// decode them once with Typed.
func (c *Claims) Lookup(name string) (json.RawMessage, bool) {
	s := strictjson.NewScanner(c.raw)
	if s.BeginObject() != nil {
		return nil, false
	}
	var m strictjson.Members
	for {
		n, ok, err := s.NextMember(&m)
		if err != nil || !ok {
			return nil, false
		}
		if string(n) != name {
			if s.Skip() != nil {
				return nil, false
			}
			continue
		}
		raw, err := s.SkipRaw()
		if err != nil {
			return nil, false
		}
		return raw[:len(raw):len(raw)], true
	}
}
