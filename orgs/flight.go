package orgs

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/tokengate/tokengate/internal/hook"
)

// errTimeout is the error of a request that waited WithTimeout for an
// answer that did not come. It wraps context.DeadlineExceeded: the check
// timed out, the client did not go away.
var errTimeout = fmt.Errorf("orgs: no answer within the timeout (WithTimeout): %w", context.DeadlineExceeded)

// answers puts a cache and single-flight in front of a slow source of truth
// that is asked on behalf of requests (a MembershipChecker, WithLookup,
// WithResolver): one call per key at a time, whose answer every waiting
// request shares and the cache keeps for a while. It is the one place where
// these calls are bounded:
//
//   - each request waits at most timeout, also when the source ignores its
//     context; the request that gives up forgets the flight, so that the
//     next request starts a new call instead of joining the stuck one;
//   - an answer that comes after the timeout is not used or cached (a newer
//     call may have answered already);
//   - a panic of the source is an error (hook.Call): singleflight would
//     re-raise it on a goroutine of its own, which ends the process;
//   - errors are never cached.
type answers[K comparable, V any] struct {
	cache   *cache[K, V]
	group   singleflight.Group
	fetch   func(ctx context.Context, k K) (V, error)
	flight  func(k K) string        // the singleflight key of k: distinct keys, distinct strings
	clone   func(k K) K             // a copy of k that keeps no request data alive
	ttl     func(v V) time.Duration // how long v is trusted; 0: not cached
	timeout time.Duration
	now     func() time.Time
}

// get answers k from the cache or from one call shared by the requests
// asking for k. hit reports a cache hit. A request whose context ends stops
// waiting; the call goes on for the others.
func (a *answers[K, V]) get(ctx context.Context, k K) (v V, hit bool, err error) {
	if v, ok := a.cache.get(k, a.now()); ok {
		return v, true, nil
	}
	key := a.flight(k)
	ch := a.group.DoChan(key, func() (any, error) {
		return a.call(context.WithoutCancel(ctx), a.clone(k))
	})
	timer := time.NewTimer(a.timeout)
	defer timer.Stop()
	select {
	case res := <-ch:
		if res.Err != nil {
			return v, false, res.Err
		}
		return res.Val.(V), false, nil
	case <-ctx.Done():
		return v, false, ctx.Err()
	case <-timer.C:
		a.group.Forget(key)
		return v, false, errTimeout
	}
}

// call asks the source once, within the timeout, and caches its answer.
func (a *answers[K, V]) call(ctx context.Context, k K) (V, error) {
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	v, err := hook.Call(func() (V, error) { return a.fetch(ctx, k) })
	if err != nil {
		return v, err
	}
	if ctx.Err() != nil { // a source that ignored its context answered late
		var zero V
		return zero, errTimeout
	}
	if ttl := a.ttl(v); ttl > 0 {
		a.cache.put(k, v, a.now().Add(ttl))
	}
	return v, nil
}
