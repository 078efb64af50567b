package verifier

import (
	"testing"
	"unsafe"
)

// TestClaimsSize: a Claims is allocated by every verification that the
// cache does not answer, and kept by every cache entry: keep it within the
// 640-byte size class (632 bytes before the act, may_act and custom claims
// fields of issue 26).
func TestClaimsSize(t *testing.T) {
	if n := unsafe.Sizeof(Claims{}); n > 640 {
		t.Errorf("Claims size: got %d bytes, want at most 640", n)
	}
}
