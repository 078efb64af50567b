package jwks

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// issuerKeys is the key source of one issuer of an Issuers: its Cache,
// made on first use by discovery, under one flight.
type issuerKeys struct {
	r   *Issuers
	iss string

	mu      sync.Mutex
	cache   *Cache
	flight  chan struct{} // closed when the discovery in flight ends
	err     error         // the last discovery's failure
	retryAt time.Time     // no discovery before (after a failure)
	evicted bool
}

// Key implements verifier.KeySource with the keys of this issuer only. An
// issuer evicted while a lookup held it is looked up again (it was allowed
// for this request a moment ago; its keys are its own).
func (k *issuerKeys) Key(ctx context.Context, kid, alg string) (*verifier.Key, error) {
	for range maxEvictedRetries {
		c, err := k.keys(ctx)
		if errors.Is(err, errEvicted) {
			if k, err = k.r.keysOf(k.iss); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		key, err := c.Key(ctx, kid, alg)
		if err != nil && errors.Is(err, verifier.ErrKeysUnavailable) && k.wasEvicted() {
			if k, err = k.r.keysOf(k.iss); err != nil {
				return nil, err
			}
			continue
		}
		return key, err
	}
	return nil, fmt.Errorf("%w: the issuer was evicted during each of %d lookups", verifier.ErrKeysUnavailable, maxEvictedRetries)
}

// maxEvictedRetries bounds the lookups of one Key call whose issuer was
// evicted meanwhile (by MaxIssuers other issuers coming first).
const maxEvictedRetries = 4

func (k *issuerKeys) wasEvicted() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.evicted
}

// keys returns the issuer's Cache, discovering it first when needed; the
// caller waits for the discovery at most until ctx ends.
func (k *issuerKeys) keys(ctx context.Context) (*Cache, error) {
	k.mu.Lock()
	switch {
	case k.evicted:
		k.mu.Unlock()
		return nil, errEvicted
	case k.cache != nil:
		c := k.cache
		k.mu.Unlock()
		return c, nil
	case k.flight == nil && k.r.set.now().Before(k.retryAt):
		err := k.err
		k.mu.Unlock()
		return nil, fmt.Errorf("%w: discovery of %s failed (retried after the cooldown): %w", verifier.ErrKeysUnavailable, quote(k.iss), err)
	case k.flight == nil:
		k.flight = make(chan struct{})
		k.r.discoveries.Add(1)
		go k.discover(k.flight)
	}
	f := k.flight
	k.mu.Unlock()
	select {
	case <-f:
	case <-ctx.Done():
		return nil, fmt.Errorf("jwks: waiting for the discovery of %s: %w", quote(k.iss), ctx.Err())
	}
	return k.keys(ctx)
}

// discover finds the issuer's jwks_uri and starts its Cache. It runs on
// the Issuers' lifetime, not a request's: one request giving up does not
// fail the others waiting.
func (k *issuerKeys) discover(done chan struct{}) {
	defer close(done)
	var opts []DiscoverOption
	if k.r.sameOrigin {
		opts = append(opts, SameOrigin())
	}
	var c *Cache
	uri, err := Discover(k.r.ctx, k.iss, k.r.cfg.HTTPClient, opts...)
	if err == nil {
		err = k.r.takeSlot()
	}
	if err == nil {
		cfg := k.r.cfg
		cfg.URL = uri
		if c, err = New(cfg); err == nil {
			k.r.live.Add(1)
		} else {
			<-k.r.slots
		}
	}
	k.mu.Lock()
	k.flight = nil
	switch {
	case err != nil:
		k.err, k.retryAt = err, k.r.set.now().Add(k.r.set.cooldown)
	case k.evicted:
		// Evicted while discovering: nobody will close it but us.
		defer k.r.closeCache(c)
	default:
		k.cache = c
	}
	k.mu.Unlock()
}

// evict takes the issuer out of service: its Cache is closed and its keys
// retired, so that the tokens they verified leave the verifiers' caches
// (an issuer no longer held is no longer watched for key rotation).
func (k *issuerKeys) evict() {
	k.mu.Lock()
	k.evicted = true
	c := k.cache
	k.cache = nil
	k.mu.Unlock()
	if c != nil {
		k.r.closeCache(c)
	}
}

func (r *Issuers) closeCache(c *Cache) {
	_ = c.Close()
	c.withdraw()
	r.live.Add(-1)
	<-r.slots
}

// takeSlot waits for room for one more open Cache: at most as long as the
// Caches of evicted issuers take to close.
func (r *Issuers) takeSlot() error {
	select {
	case r.slots <- struct{}{}:
		return nil
	case <-r.ctx.Done():
		return fmt.Errorf("%w: jwks: Issuers closed", verifier.ErrKeysUnavailable)
	}
}
