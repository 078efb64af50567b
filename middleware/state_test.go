package middleware

import (
	"testing"
	"unsafe"
)

// TestStateSize: the request state is allocated for every request; keep it
// within the 96-byte size class (it was 48 before the checked organization
// was added, X16, and 80 before the raw token was kept for TokenFromContext,
// OB1: one allocation still, 16 bytes larger).
func TestStateSize(t *testing.T) {
	if n := unsafe.Sizeof(state{}); n > 96 {
		t.Errorf("state size: got %d bytes, want at most 96", n)
	}
}
