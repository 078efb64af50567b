package httpx

import (
	"errors"
	"io"
)

// ErrBodyTooLarge is returned by ReadBody for a body over its limit.
var ErrBodyTooLarge = errors.New("body larger than the limit")

// ReadBody reads r to its end, at most limit bytes: one byte more is an
// error wrapping ErrBodyTooLarge (never a silent truncation). It is the one
// bounded read of a network body in tokengate; callers wrap the error with
// their own context. A non-positive limit reads nothing and accepts only an
// empty body.
func ReadBody(r io.Reader, limit int64) ([]byte, error) {
	limit = max(limit, 0)
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return b, err
	}
	if int64(len(b)) > limit {
		return b[:limit], ErrBodyTooLarge
	}
	return b, nil
}
