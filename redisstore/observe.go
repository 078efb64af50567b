package redisstore

import (
	"context"
	"time"
)

// Store names in Event.Store.
const (
	StoreToken      = "token"
	StoreBudget     = "budget"
	StoreReplay     = "replay"
	StoreRevocation = "revocation"
)

// Observer is told about every operation of the stores: one Event per
// round trip to Redis (or per operation that did not try it because Redis
// is down), and one per answer given without Redis (Fallback). It is
// called synchronously on the caller's goroutine: it must be fast and safe
// for concurrent use. Metrics implements it.
type Observer interface {
	ObserveStore(ctx context.Context, e Event)
}

// Event describes one operation. It never holds a key or a value.
type Event struct {
	// Store is StoreToken, StoreBudget, StoreReplay or StoreRevocation.
	Store string
	// Op names the operation: "get", "store", "release", "invalidate"
	// (token), "reserve", "pause" (budget), "add" (replay), "lookup",
	// "revoke" (revocation).
	Op string
	// Err is nil when Redis answered as expected; it wraps ErrUnavailable
	// when Redis could not be asked or did not answer in time.
	Err error
	// Duration is the round trip; 0 when Redis was not asked.
	Duration time.Duration
	// Fallback reports an operation answered by this process without
	// Redis (Policy FallBack): Err is why.
	Fallback bool
}
