package bench

import (
	"context"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/tokengate/tokengate/authtest"
)

// JWE is the alg= label of the encrypted-token rows (issue 23): the RS256
// fixture's tokens, each encrypted as Auth0 encrypts the access tokens of
// an API with token encryption on (RSA-OAEP-256 key wrap, A256GCM, header
// {"alg", "enc", "cty": "JWT", "kid"}; authtest.Encrypt), to an RSA-2048
// key of the API's.
const JWE = "JWE"

// The JWE header's key-management and content-encryption algorithms, and
// the kid of the API's decryption key.
const (
	JWEAlg   = "RSA-OAEP-256"
	JWEEnc   = "A256GCM"
	JWEKeyID = "api-enc-1"
)

// JWEFixture is what the JWE contenders share: the RS256 fixture (whose
// key verifies the inner tokens), the API's decryption key, and the RS256
// fixture's tokens encrypted to it.
type JWEFixture struct {
	// Inner is the RS256 fixture: Good is the plaintext of Good here.
	Inner *Fixture
	// Key decrypts every token of the fixture.
	Key *rsa.PrivateKey

	// Good is Inner.Good, encrypted.
	Good string
	// Tokens that must be refused, each differing from Good in one respect:
	// a bit of the ciphertext or of the GCM tag flipped (what the
	// decryption must catch), or a valid encryption of an inner token that
	// must be refused (expired, another audience, a bad signature).
	TamperedCiphertext string
	TamperedTag        string
	Expired            string
	WrongAudience      string
	BadSignature       string
}

// NewJWEFixture generates the API's decryption key (RSA-2048, as Auth0
// requires at least) and encrypts inner's tokens to it. inner must be the
// RS256 fixture.
func NewJWEFixture(inner *Fixture) (*JWEFixture, error) {
	if inner.Alg != RS256 {
		return nil, fmt.Errorf("bench: the JWE fixture wraps RS256 tokens, not %s", inner.Alg)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	f := &JWEFixture{Inner: inner, Key: key}
	api := authtest.EncryptedAPI{Audience: Audience, Key: &key.PublicKey, KeyID: JWEKeyID, Algorithm: JWEAlg}
	for _, t := range []struct {
		dst *string
		jws string
	}{{&f.Good, inner.Good}, {&f.Expired, inner.Expired}, {&f.WrongAudience, inner.WrongAudience}, {&f.BadSignature, inner.BadSignature}} {
		if *t.dst, err = authtest.Encrypt(t.jws, api); err != nil {
			return nil, err
		}
	}
	p := strings.Split(f.Good, ".")
	if len(p) != 5 {
		return nil, errors.New("bench: authtest.Encrypt did not return five segments")
	}
	f.TamperedCiphertext = strings.Join([]string{p[0], p[1], p[2], flipLastBit(p[3]), p[4]}, ".")
	f.TamperedTag = strings.Join([]string{p[0], p[1], p[2], p[3], flipLastBit(p[4])}, ".")
	return f, nil
}

// flipLastBit flips the lowest bit of the last byte of the base64url
// segment s and encodes it again: strict base64url of the same length, so
// that only the decryption can refuse it.
func flipLastBit(s string) string {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) == 0 {
		return s + "A" // not base64url of the same length: refused all the same
	}
	b[len(b)-1] ^= 1
	return base64.RawURLEncoding.EncodeToString(b)
}

// JWECases lists the tokens every JWE contender must get right before it
// is timed.
func JWECases(f *JWEFixture) []Case {
	return []Case{
		{"good", f.Good, true},
		{"tampered-ciphertext", f.TamperedCiphertext, false},
		{"tampered-tag", f.TamperedTag, false},
		{"inner-expired", f.Expired, false},
		{"inner-wrong-audience", f.WrongAudience, false},
		{"inner-bad-signature", f.BadSignature, false},
		// A plain token where the API requires encryption: tokengate
		// refuses it (Decryption.Required); the peers' nested-JWT calls
		// cannot parse it as a JWE.
		{"plain-jws", f.Inner.Good, false},
	}
}

// JWEContender is one library's decrypt+verify of a nested token.
type JWEContender struct {
	Name, Library, Setup string
	New                  func(f *JWEFixture) (VerifyFunc, error)
}

// JWEContenders returns the contenders of the JWE rows (jwe_peers.go has
// the peers).
func JWEContenders() []JWEContender {
	return []JWEContender{tokengateJWE(false), tokengateJWE(true), goJoseJWE(), jwxV3JWE()}
}

// CheckJWE runs JWECases through verify, the good token again last (a
// refusal must not spoil the verifier), and returns an error naming each
// case it got wrong.
func CheckJWE(ctx context.Context, f *JWEFixture, verify VerifyFunc) error {
	cases := JWECases(f)
	cases = append(cases, cases[0])
	var errs []error
	for _, c := range cases {
		err := verify(ctx, c.Token)
		switch {
		case c.Accept && err != nil:
			errs = append(errs, fmt.Errorf("%w: %s token: got error %v, want accepted", ErrCheck, c.Name, err))
		case !c.Accept && err == nil:
			errs = append(errs, fmt.Errorf("%w: %s token: got accepted, want refused", ErrCheck, c.Name))
		}
	}
	return errors.Join(errs...)
}

// NewJWEPrimitive returns the floor of one encrypted token: the bare
// primitives decrypt+verify cannot avoid, and nothing else:
// rsa.DecryptOAEP (SHA-256) of the content key, aes.NewCipher,
// cipher.NewGCM and Open of the content (the protected header as AAD),
// then SHA-256 of the inner signing input and rsa.VerifyPKCS1v15. Every
// segment is decoded beforehand and the inner signing input's length is
// known: no parsing, no claims. sig is the inner signature, decoded
// beforehand as NewPrimitive's is (Inner.Signature for the good token). It
// reports whether token and sig pass.
func NewJWEPrimitive(f *JWEFixture, token string, sig []byte) (func() bool, error) {
	p := strings.Split(token, ".")
	if len(p) != 5 {
		return nil, errors.New("bench: a JWE has five segments")
	}
	var seg [5][]byte
	for i := 1; i < 5; i++ {
		var err error
		if seg[i], err = base64.RawURLEncoding.DecodeString(p[i]); err != nil {
			return nil, fmt.Errorf("bench: JWE segment %d: %w", i, err)
		}
	}
	ek, iv := seg[1], seg[2]
	ctTag := append(append([]byte(nil), seg[3]...), seg[4]...)
	aad := []byte(p[0])
	dot := strings.LastIndexByte(f.Inner.Good, '.')
	pub := f.Inner.Key.(*rsa.PublicKey)
	return func() bool {
		cek, err := rsa.DecryptOAEP(sha256.New(), nil, f.Key, ek, nil)
		if err != nil {
			return false
		}
		block, err := aes.NewCipher(cek)
		if err != nil {
			return false
		}
		gcm, err := cipher.NewGCM(block)
		if err != nil {
			return false
		}
		plain, err := gcm.Open(nil, iv, ctTag, aad)
		if err != nil || len(plain) <= dot {
			return false
		}
		d := sha256.Sum256(plain[:dot])
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, d[:], sig) == nil
	}, nil
}
