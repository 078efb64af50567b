package middleware

import (
	"testing"
	"unsafe"
)

// TestStateSize: the request state is allocated for every request; keep it
// within the 80-byte size class (it was 48 before the checked organization
// was added, X16).
func TestStateSize(t *testing.T) {
	if n := unsafe.Sizeof(state{}); n > 80 {
		t.Errorf("state size: got %d bytes, want at most 80", n)
	}
}
