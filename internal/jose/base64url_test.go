package jose

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

// FuzzDecode is a differential test of Decode against encoding/base64's
// strict unpadded URL encoding: both accept the same inputs and decode them
// alike, except CR and LF, which encoding/base64 skips and Decode refuses
// (SECURITY.md B2).
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		"", "QQ", "QR", "QUI", "QUJ", "AAAA", "____", "__8", "__9", "QUI=", "QU+I", "QU/I", "QU\nI", "QU\r\nI",
		"QU I", "QU\x00I", "QU\xffI", "QU.I", "A", "AAAAA", "eyJhbGciOiJIUzI1NiJ9",
		"eyJpc3MiOiJodHRwczovL3Rva2VuZ2F0ZS1iZW5jaC5ldS5hdXRoMC5jb20vIn0",
		strings.Repeat("_", 43), strings.Repeat("A", 86) + "Q", strings.Repeat("A", 85) + "Q",
	} {
		f.Add(s)
	}
	strict := base64.RawURLEncoding.Strict()
	f.Fuzz(func(t *testing.T, src string) {
		want, werr := strict.DecodeString(src)
		if strings.ContainsAny(src, "\r\n") {
			werr = ErrBase64
		}
		// Room to spare past DecodedLen, filled with a canary: Decode must
		// write inside its result only.
		n := DecodedLen(len(src))
		dst := bytes.Repeat([]byte{0xa5}, n+16)
		got, err := Decode(dst[:n], src)
		if (err == nil) != (werr == nil) {
			t.Fatalf("Decode(%q): error %v; encoding/base64: %v", src, err, werr)
		}
		if err == nil && !bytes.Equal(got, want) {
			t.Fatalf("Decode(%q) = %x, want %x", src, got, want)
		}
		if !bytes.Equal(dst[n:], bytes.Repeat([]byte{0xa5}, 16)) {
			t.Fatalf("Decode(%q) wrote past DecodedLen: %x", src, dst[n:])
		}
	})
}

// TestDecodeLengths decodes every length from 0 to 200 of valid and of
// corrupted input, so that each path of the decoder (two quanta per round,
// single quanta, the final partial quantum) sees a bad byte in every
// position.
func TestDecodeLengths(t *testing.T) {
	raw := make([]byte, 150)
	for i := range raw {
		raw[i] = byte(i*37 + 11)
	}
	for n := range len(raw) {
		src := base64.RawURLEncoding.EncodeToString(raw[:n])
		got, err := Decode(make([]byte, DecodedLen(len(src))), src)
		if err != nil || !bytes.Equal(got, raw[:n]) {
			t.Fatalf("Decode of %d bytes: got %x, %v; want %x", n, got, err, raw[:n])
		}
		for i := range len(src) {
			for _, c := range []byte{'=', '+', '/', '\n', '.', 0x80, 0} {
				bad := src[:i] + string(c) + src[i+1:]
				if _, err := Decode(make([]byte, DecodedLen(len(bad))), bad); err != ErrBase64 {
					t.Fatalf("Decode with %q at %d of %d: got %v, want ErrBase64", c, i, len(src), err)
				}
			}
		}
	}
}

// BenchmarkDecode decodes a payload of the size of the benchmark token's.
func BenchmarkDecode(b *testing.B) {
	raw := bytes.Repeat([]byte(`{"iss":"https://tokengate-bench.eu.auth0.com/"}`), 16)
	src := base64.RawURLEncoding.EncodeToString(raw)
	dst := make([]byte, DecodedLen(len(src)))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Decode(dst, src); err != nil {
			b.Fatal(err)
		}
	}
}
