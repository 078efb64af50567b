package jwks

import "time"

// NewWithTimer is New with the refresh loop's timer replaced by after, a
// fake clock's (set Config.Now to the same clock): the tests drive the
// schedule by moving the clock.
func NewWithTimer(cfg Config, after func(time.Duration) <-chan time.Time) (*Cache, error) {
	return newCache(cfg, after)
}
