package httpx_test

import (
	"fmt"
	"net/http"
	"time"

	"github.com/tokengate/tokengate/internal/httpx"
)

func ExampleRetryAfter() {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	h := http.Header{"Retry-After": {"86400000"}} // a thousand days: clamped
	d, ok := httpx.RetryAfter(h, now)
	fmt.Println(d, ok)
	// Output: 24h0m0s true
}
