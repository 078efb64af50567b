package metrics

import "time"

// Observers must not panic on any value a hook reports (prometheus panics
// when a counter is given a negative increment), and a histogram must not
// be fed a value that makes its sum go down. The helpers below clamp the
// numbers of an event before they reach a collector.

// seconds is d in seconds, with a negative d (a clock step, or a bug in a
// caller) counted as 0.
func seconds(d time.Duration) float64 {
	return max(d, 0).Seconds()
}
