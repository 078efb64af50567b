package jose

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/binary"
	"hash"
)

// The content and key-wrap primitives of JWE (RFC 7518 sections 4.6, 4.4,
// 5.2, 5.3), on the standard library's crypto. Every failure is a false:
// the caller reports one error for all of them, so that none is an oracle.

// OpenContent decrypts and authenticates the ciphertext ct of enc under
// cek, with the iv, the additional data aad (the ASCII of the encoded
// protected header) and the tag. ctTag is ct followed by the tag in one
// buffer (GCM opens it in place); the plaintext is written over it. It
// returns the plaintext and true, or nil and false for any failure.
func OpenContent(enc Enc, cek, iv, aad, ctTag []byte) ([]byte, bool) {
	if len(cek) != enc.KeyLen() || len(iv) != enc.IVLen() || len(ctTag) < enc.TagLen() {
		return nil, false
	}
	if enc.GCM() {
		block, err := aes.NewCipher(cek)
		if err != nil {
			return nil, false
		}
		gcm, err := cipher.NewGCM(block)
		if err != nil {
			return nil, false
		}
		out, err := gcm.Open(ctTag[:0], iv, ctTag, aad)
		if err != nil {
			return nil, false
		}
		return out, true
	}
	return openCBCHS(enc, cek, iv, aad, ctTag)
}

// openCBCHS is AES_CBC_HMAC_SHA2 (RFC 7518 section 5.2.2.2): the MAC is
// checked, in constant time, before any decryption, so the padding check
// that follows cannot be an oracle (GHSA-rm8v-mxj3-5rmq).
func openCBCHS(enc Enc, cek, iv, aad, ctTag []byte) ([]byte, bool) {
	half := len(cek) / 2
	macKey, encKey := cek[:half], cek[half:]
	tagLen := enc.TagLen()
	ct, tag := ctTag[:len(ctTag)-tagLen], ctTag[len(ctTag)-tagLen:]
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, false
	}
	var h func() hash.Hash
	switch enc {
	case A128CBCHS256:
		h = sha256.New
	case A192CBCHS384:
		h = sha512.New384
	default:
		h = sha512.New
	}
	mac := hmac.New(h, macKey)
	mac.Write(aad)
	mac.Write(iv)
	mac.Write(ct)
	var al [8]byte
	binary.BigEndian.PutUint64(al[:], uint64(len(aad))*8)
	mac.Write(al[:])
	if subtle.ConstantTimeCompare(mac.Sum(nil)[:tagLen], tag) != 1 {
		return nil, false
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, false
	}
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(ct, ct)
	pad := int(ct[len(ct)-1])
	if pad == 0 || pad > aes.BlockSize {
		return nil, false
	}
	for _, b := range ct[len(ct)-pad:] {
		if int(b) != pad {
			return nil, false
		}
	}
	return ct[:len(ct)-pad], true
}

// kwIV is the default initial value of AES key wrap (RFC 3394 section 2.2.3).
var kwIV = [8]byte{0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6}

// Unwrap is AES key unwrap (RFC 3394 section 2.2.2) of wrapped under kek.
// wrapped is the wrapped key (n+1 64-bit blocks, n >= 2); it returns the n
// blocks of key, or false when the integrity check fails.
func Unwrap(kek, wrapped []byte) ([]byte, bool) {
	if len(wrapped)%8 != 0 || len(wrapped) < 24 {
		return nil, false
	}
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, false
	}
	n := len(wrapped)/8 - 1
	var a [8]byte
	copy(a[:], wrapped[:8])
	r := make([]byte, n*8)
	copy(r, wrapped[8:])
	var b [16]byte
	for j := 5; j >= 0; j-- {
		for i := n; i >= 1; i-- {
			t := uint64(n*j + i)
			binary.BigEndian.PutUint64(a[:], binary.BigEndian.Uint64(a[:])^t)
			copy(b[:8], a[:])
			copy(b[8:], r[(i-1)*8:i*8])
			block.Decrypt(b[:], b[:])
			copy(a[:], b[:8])
			copy(r[(i-1)*8:i*8], b[8:])
		}
	}
	if subtle.ConstantTimeCompare(a[:], kwIV[:]) != 1 {
		return nil, false
	}
	return r, true
}

// ConcatKDF derives keyLen bytes from the ECDH shared secret z (RFC 7518
// section 4.6.2, NIST SP 800-56A Concat KDF with SHA-256): algID is the enc
// name for ECDH-ES, the alg name for ECDH-ES+AxxxKW; apu and apv are the
// decoded party info.
func ConcatKDF(z []byte, algID string, apu, apv []byte, keyLen int) []byte {
	var other []byte
	other = lengthPrefixed(other, []byte(algID))
	other = lengthPrefixed(other, apu)
	other = lengthPrefixed(other, apv)
	other = binary.BigEndian.AppendUint32(other, uint32(keyLen)*8)
	out := make([]byte, 0, (keyLen+sha256.Size-1)/sha256.Size*sha256.Size)
	h := sha256.New()
	var ctr [4]byte
	for i := uint32(1); len(out) < keyLen; i++ {
		h.Reset()
		binary.BigEndian.PutUint32(ctr[:], i)
		h.Write(ctr[:])
		h.Write(z)
		h.Write(other)
		out = h.Sum(out)
	}
	return out[:keyLen]
}

func lengthPrefixed(dst, b []byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(b)))
	return append(dst, b...)
}
