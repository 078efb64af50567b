package httpx

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadBody(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		r       io.Reader
		limit   int64
		want    string
		wantErr error
	}{
		{"empty", strings.NewReader(""), 4, "", nil},
		{"under", strings.NewReader("abc"), 4, "abc", nil},
		{"exactly", strings.NewReader("abcd"), 4, "abcd", nil},
		{"one over", strings.NewReader("abcde"), 4, "abcd", ErrBodyTooLarge},
		{"far over", strings.NewReader(strings.Repeat("x", 1<<20)), 4, "xxxx", ErrBodyTooLarge},
		{"zero limit, empty", strings.NewReader(""), 0, "", nil},
		{"zero limit, one byte", strings.NewReader("a"), 0, "", ErrBodyTooLarge},
		{"negative limit", strings.NewReader("a"), -5, "", ErrBodyTooLarge},
		{"read error", iotest.ErrReader(boom), 4, "", boom},
		{"one byte at a time", iotest.OneByteReader(strings.NewReader("abc")), 4, "abc", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ReadBody(tt.r, tt.limit)
			if string(b) != tt.want || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("ReadBody = %q, %v; want %q, %v", b, err, tt.want, tt.wantErr)
			}
		})
	}
}
