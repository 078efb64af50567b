package verifier

// NextKeySet returns the key set that follows prev in a key source whose
// keys change (a JWKS refresh, a test tenant's rotation); prev is nil for
// the first set. It is NewKeySet of keys, with two rules that keep the
// verified-token cache true to the source:
//
//   - a key equal to a key of prev (same kid, algorithm and key material)
//     is replaced by prev's *Key, so the tokens it verified stay cached;
//   - every key of prev that is not carried over is retired at once: the
//     tokens it verified stop being answered from any verifier's cache
//     (SECURITY.md F5, VC2), and the cache evicts them first.
//
// NextKeySet with no keys retires all of prev: a source withdrawing its keys
// (jwks at MaxStale) calls it so. A retired key is never carried over. When
// NextKeySet returns an error, nothing is retired. Publish the result in
// place of prev; prev's keys that were dropped are retired even while prev
// is still served, so a source must not go on serving it.
func NextKeySet(prev *KeySet, keys ...*Key) (*KeySet, error) {
	if prev == nil {
		return NewKeySet(keys...)
	}
	keys = append([]*Key(nil), keys...)
	kept := make(map[*Key]bool, len(prev.all))
	for i, k := range keys {
		for _, o := range prev.all {
			if !o.retired() && (o == k || o.equal(k)) {
				keys[i], kept[o] = o, true
				break
			}
		}
	}
	s, err := NewKeySet(keys...)
	if err != nil {
		return nil, err
	}
	for _, o := range prev.all {
		if !kept[o] {
			o.retire()
		}
	}
	return s, nil
}
