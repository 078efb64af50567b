package dpop

import (
	"context"
	"time"

	"github.com/tokengate/tokengate/internal/hook"
)

// ReplayStore remembers keys until they expire. Verify records every proof
// that passed under ReplayKey(jkt, jti) until iat + Config.Window, the
// instant the proof can no longer pass the iat window; a second proof
// with the same key and jti in that time is a replay.
//
// The interface is small so that other stores can implement it: the
// default MemoryStore guards one process; an API behind several replicas
// needs a store they share (a Redis SET key NX PXAT expires, for one), or a
// proof refused by one replica still passes once on each other one. Other
// users may share a store under their own key prefix (logout tokens by
// iss and jti, for example); dpop's keys all start with "dpop:".
type ReplayStore interface {
	// Add records key until expires. It returns nil when key was not
	// recorded (or its record has expired), ErrReplay when it is recorded
	// and unexpired, and ErrStoreFull when there is no room to record it;
	// any other error means the store cannot tell, and the proof is
	// refused (ErrStoreUnavailable). Concurrent Adds of one key must let
	// at most one through (an atomic insert-if-absent), and an unexpired
	// key must never be forgotten: a store that evicts to make room allows
	// replays.
	Add(ctx context.Context, key string, expires time.Time) error
}

// ReplayKey is the key Verify records a proof under: "dpop:", the key's
// thumbprint, ":" and the jti. A thumbprint is base64url, which has no
// ':', so no two (jkt, jti) pairs share a key.
func ReplayKey(jkt, jti string) string { return replayPrefix + jkt + ":" + jti }

const replayPrefix = "dpop:"

// remember records the proof in the store. The default MemoryStore is
// called directly, on the Verifier's clock reading; any other store is code
// of the application, whose panic becomes an error (the proof is refused,
// the request survives).
func (v *Verifier) remember(ctx context.Context, jkt, jti string, now, expires time.Time) error {
	if m, ok := v.store.(*MemoryStore); ok {
		return m.addProof(ctx, jkt, jti, now, expires)
	}
	_, err := hook.Call(func() (struct{}, error) {
		return struct{}{}, v.store.Add(ctx, ReplayKey(jkt, jti), expires)
	})
	return err
}
