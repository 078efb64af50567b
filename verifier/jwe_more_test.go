package verifier_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// TestJWEOneDecryptError (JW16): the key unwrap failing (RSA-OAEP) and the
// content's authentication failing (GCM tag) give the same error, claim
// and message: neither is an oracle.
func TestJWEOneDecryptError(t *testing.T) {
	t.Run("JW16/OAEP and GCM failures are one error", func(t *testing.T) {
		loadKeys()
		v := jweVerifier(t, defaultDecryption(t))
		inner := innerToken(t)
		good := seal(t, "RSA-OAEP-256", "A256GCM", &rsaKey2.PublicKey, nil, []byte(inner))
		p := jweParts(good)
		// An OAEP block that does not decode: random bytes below the modulus.
		ek := make([]byte, rsaKey2.Size())
		rand.Read(ek[1:])
		p[1] = b64(ek)
		badKey := strings.Join(p, ".")
		p = jweParts(good)
		tag := []byte(p[4])
		tag[0] = map[bool]byte{true: 'B', false: 'A'}[tag[0] == 'A']
		p[4] = string(tag)
		badTag := strings.Join(p, ".")
		_, e1 := v.Verify(context.Background(), badKey)
		_, e2 := v.Verify(context.Background(), badTag)
		if !errors.Is(e1, verifier.ErrDecrypt) || !errors.Is(e2, verifier.ErrDecrypt) {
			t.Fatalf("got %v and %v, want ErrDecrypt for both", e1, e2)
		}
		if e1.Error() != e2.Error() {
			t.Errorf("got %q and %q, want one message", e1, e2)
		}
		if verifier.Reason(e1) != "decrypt" {
			t.Errorf("got reason %q, want decrypt", verifier.Reason(e1))
		}
	})
}

// TestJWEModes (JW7): plain tokens accepted when encryption is allowed,
// refused when required; an encrypted token accepted in both.
func TestJWEModes(t *testing.T) {
	loadKeys()
	inner := innerToken(t)
	enc := seal(t, "RSA-OAEP-256", "A256GCM", &rsaKey2.PublicKey, nil, []byte(inner))
	for _, tt := range []struct {
		name     string
		required bool
		token    string
		want     error
	}{
		{"JW7/allowed: plain", false, inner, nil},
		{"JW7/allowed: encrypted", false, enc, nil},
		{"JW7/required: plain", true, inner, verifier.ErrTokenType},
		{"JW7/required: encrypted", true, enc, nil},
		{"JW7/required: alg none", true, b64([]byte(`{"alg":"none"}`)) + "." + b64([]byte(claims(nil))) + ".", verifier.ErrTokenType},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := defaultDecryption(t)
			d.Required = tt.required
			v := jweVerifier(t, d)
			if _, err := v.Verify(context.Background(), tt.token); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// TestJWEConfig (JW18): New and NewDecryptionKey refuse what cannot be
// used safely.
func TestJWEConfig(t *testing.T) {
	loadKeys()
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name      string
		kid, alg  string
		key       any
		wantError bool
	}{
		{"JW18/PBES2 key", "", "PBES2-HS256+A128KW", []byte("0123456789abcdef"), true},
		{"JW18/RSA1_5 key", "", "RSA1_5", rsaKey2, true},
		{"JW18/RSA-OAEP (SHA-1) key", "", "RSA-OAEP", rsaKey2, true},
		{"JW18/RSA key of 1024 bits", "", "RSA-OAEP-256", small, true},
		{"JW18/public key for decryption", "", "RSA-OAEP-256", &rsaKey2.PublicKey, true},
		{"JW18/EC key for RSA-OAEP", "", "RSA-OAEP-256", ecKey, true},
		{"JW18/A128KW with 32 bytes", "", "A128KW", make([]byte, 32), true},
		{"JW18/secret all one byte", "", "A128KW", []byte("aaaaaaaaaaaaaaaa"), true},
		{"JW18/dir of 20 bytes", "", "dir", []byte("0123456789abcdefghij"), true},
		{"JW18/kid too long", strings.Repeat("k", 257), "RSA-OAEP-256", rsaKey2, true},
		{"JW18/ECDH-ES with ecdsa key", "", "ECDH-ES", ecKey, false},
		{"JW18/RSA-OAEP-512", "", "RSA-OAEP-512", rsaKey2, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := verifier.NewDecryptionKey(tt.kid, tt.alg, tt.key)
			if (err != nil) != tt.wantError {
				t.Fatalf("got %v, want error %v", err, tt.wantError)
			}
			if err != nil && !errors.Is(err, verifier.ErrKeyPolicy) {
				t.Errorf("got %v, want ErrKeyPolicy", err)
			}
		})
	}
	k := mustDecKey(t, "a", "RSA-OAEP-256", rsaKey2)
	for _, tt := range []struct {
		name string
		d    verifier.Decryption
	}{
		{"JW18/PBES2 in Algorithms", verifier.Decryption{Keys: []*verifier.DecryptionKey{k}, Algorithms: []string{"RSA-OAEP-256", "PBES2-HS256+A128KW"}}},
		{"JW18/unknown enc", verifier.Decryption{Keys: []*verifier.DecryptionKey{k}, Encryptions: []string{"A256GCM", "A256CTR"}}},
		{"JW18/key alg not allowed", verifier.Decryption{Keys: []*verifier.DecryptionKey{k}, Algorithms: []string{"RSA-OAEP-512"}}},
		{"JW18/Required without keys", verifier.Decryption{Required: true}},
		{"JW18/Algorithms without keys", verifier.Decryption{Algorithms: []string{"RSA-OAEP-256"}}},
		{"JW18/nil key", verifier.Decryption{Keys: []*verifier.DecryptionKey{nil}}},
		{"JW18/same kid twice", verifier.Decryption{Keys: []*verifier.DecryptionKey{k, mustDecKey(t, "a", "RSA-OAEP-256", rsaKey)}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := verifier.New(verifier.Config{Issuer: testIss, Audience: []string{testAud}, Keys: mustSet(t, mustKey(t, "k1", "RS256", &rsaKey.PublicKey)), Decryption: tt.d})
			if !errors.Is(err, verifier.ErrConfig) {
				t.Errorf("got %v, want ErrConfig", err)
			}
		})
	}
}

// jweRecorder keeps the events of an Observer.
type jweRecorder struct {
	mu     sync.Mutex
	events []verifier.Event
}

func (r *jweRecorder) ObserveVerify(_ context.Context, e verifier.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

// TestJWECache (JW17): an encrypted token, even above 4 KiB, is cached
// under the token as sent: its repeat is a hit, with no decryption. A
// plain token above 4 KiB still is not (VC4). Decryptions are events.
func TestJWECache(t *testing.T) {
	loadKeys()
	big := sign(t, "RS256", rsaKey, hdr("RS256", "k1"), claims(map[string]any{"permissions": strings.Split(strings.Repeat("read:things-of-the-tenant ", 200), " ")[:200]}))
	if len(big) <= 4096 {
		t.Fatalf("inner token of %d bytes, want more than 4 KiB", len(big))
	}
	tok := seal(t, "RSA-OAEP-256", "A256GCM", &rsaKey2.PublicKey, nil, []byte(big))
	t.Run("JW17/encrypted token above 4 KiB is cached", func(t *testing.T) {
		var rec jweRecorder
		v := jweVerifier(t, defaultDecryption(t), func(c *verifier.Config) { c.Observer = &rec })
		for range 3 {
			if _, err := v.Verify(context.Background(), tok); err != nil {
				t.Fatal(err)
			}
		}
		if st := v.Stats(); st.CacheEntries != 1 || st.CacheHits != 2 {
			t.Errorf("got %+v, want 1 entry and 2 hits", st)
		}
		if len(rec.events) != 1 || !rec.events[0].Decrypted || rec.events[0].DecryptDuration <= 0 {
			t.Errorf("got events %+v, want one miss that decrypted", rec.events)
		}
	})
	t.Run("JW17/plain token above 4 KiB is not cached (VC4)", func(t *testing.T) {
		v := jweVerifier(t, defaultDecryption(t))
		for range 2 {
			if _, err := v.Verify(context.Background(), big); err != nil {
				t.Fatal(err)
			}
		}
		if st := v.Stats(); st.CacheEntries != 0 {
			t.Errorf("got %+v, want nothing cached", st)
		}
	})
	t.Run("JW17/failed decryption is an event", func(t *testing.T) {
		var rec jweRecorder
		v := jweVerifier(t, defaultDecryption(t), func(c *verifier.Config) { c.Observer = &rec })
		bad := seal(t, "RSA-OAEP-256", "A256GCM", &rsaKey.PublicKey, nil, []byte(big))
		_, err := v.Verify(context.Background(), bad)
		if len(rec.events) != 1 || !errors.Is(rec.events[0].Err, verifier.ErrDecrypt) || !rec.events[0].Decrypted {
			t.Errorf("got %v, events %+v; want one ErrDecrypt event that decrypted", err, rec.events)
		}
	})
	t.Run("JW17/refused before decryption is not a decryption", func(t *testing.T) {
		var rec jweRecorder
		v := jweVerifier(t, defaultDecryption(t), func(c *verifier.Config) { c.Observer = &rec })
		zip := seal(t, "RSA-OAEP-256", "A256GCM", &rsaKey2.PublicKey, map[string]any{"zip": "DEF"}, []byte(big))
		v.Verify(context.Background(), zip)
		if len(rec.events) != 1 || rec.events[0].Decrypted {
			t.Errorf("got events %+v, want one that did not decrypt", rec.events)
		}
	})
}
