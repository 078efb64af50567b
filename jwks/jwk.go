package jwks

import (
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/tokengate/tokengate/verifier"
)

// This file is the key policy for one JWK (Parse lists the rules).

// entry is one parsed element of "keys": its kid and kty (for reports and
// the duplicate-kid rule), and either a key or the reason it was dropped.
type entry struct {
	kid, kty string
	key      *verifier.Key
	reason   string
	private  bool
}

// Members that only private or symmetric keys have (RFC 7518 section 6).
var privateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// Members of the other key types; their presence makes a key ambiguous
// (SECURITY.md M4, "kty RSA with EC members").
var foreignMembers = map[string][]string{
	"RSA": {"crv", "x", "y"},
	"EC":  {"n", "e"},
	"OKP": {"n", "e", "y"},
	"oct": {"n", "e", "crv", "x", "y"},
}

// parseKey applies the key policy of Parse to one entry of "keys" (dup: it
// repeats a member name). The checks that need no decoding come first:
// kty, kid, private members, and oct keys from a URL (remote).
func parseKey(raw json.RawMessage, dup, remote bool) (e entry) {
	if first(raw) != '{' {
		e.reason = "not a JSON object"
		return e
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		e.reason = err.Error()
		return e
	}
	kid, _, kidErr := str(m, "kid")
	kty, hasKty, ktyErr := str(m, "kty")
	e.kid, e.kty = kid, kty
	switch {
	case dup:
		e.reason = "duplicate member names in the key"
	case ktyErr != nil:
		e.reason = ktyErr.Error()
	case !hasKty:
		e.reason = "kty missing"
	case kidErr != nil:
		e.reason = kidErr.Error()
	case foreignMembers[kty] == nil:
		e.reason = fmt.Sprintf("unsupported kty %s", quote(kty))
	}
	if e.reason != "" {
		return e
	}
	for _, name := range privateMembers {
		if _, ok := m[name]; ok && (name != "k" || kty != "oct") {
			e.reason, e.private = fmt.Sprintf("private key member %q present", name), true
			return e
		}
	}
	if kty == "oct" && remote {
		e.reason = "symmetric (oct) key from a URL"
		return e
	}
	key, err := buildKey(raw, m, kid, kty)
	if err != nil {
		e.reason = err.Error()
		return e
	}
	e.key = key
	return e
}

// buildKey decodes the key of an entry that passed parseKey's checks:
// members of its own type only, use and key_ops, the algorithm it is bound
// to, the key material, the x5c/x5t members, and jwx's second opinion.
func buildKey(raw json.RawMessage, m map[string]json.RawMessage, kid, kty string) (*verifier.Key, error) {
	for _, name := range foreignMembers[kty] {
		if _, ok := m[name]; ok {
			return nil, fmt.Errorf("member %q does not belong to a %s key", name, kty)
		}
	}
	if err := checkUse(m); err != nil {
		return nil, err
	}
	crv, _, err := str(m, "crv")
	if err != nil {
		return nil, err
	}
	algName, hasAlg, err := str(m, "alg")
	if err != nil {
		return nil, err
	}
	alg, err := bindAlg(kty, crv, algName, hasAlg)
	if err != nil {
		return nil, err
	}
	var pub any
	switch kty {
	case "RSA":
		pub, err = rsaKey(m)
	case "EC":
		pub, err = ecKey(m, crv)
	case "OKP":
		var x []byte
		if x, err = b64Member(m, "x"); err == nil && len(x) != ed25519.PublicKeySize {
			err = fmt.Errorf("x is %d bytes; want %d", len(x), ed25519.PublicKeySize)
		}
		pub = ed25519.PublicKey(x)
	case "oct":
		pub, err = b64Member(m, "k")
	}
	if err != nil {
		return nil, err
	}
	if err := checkX509(m, pub); err != nil {
		return nil, err
	}
	if kty != "oct" {
		if err := crossCheck(raw, pub); err != nil {
			return nil, err
		}
	}
	return verifier.NewKey(kid, alg, pub)
}

// crossCheck has lestrrat-go/jwx/v3 build the same public key from the JWK
// and refuses the key unless both decoders agree. Our decoding above is the
// strict one (jwx v3 guesses among the four base64 variants and strips
// leading zero octets of n and e); the second opinion catches any parser
// differential between the two on the material that survives the policy.
func crossCheck(raw json.RawMessage, pub any) error {
	k, err := jwk.ParseKey(raw)
	if err != nil {
		return fmt.Errorf("key refused by jwx: %v", err)
	}
	var other any
	if err := jwk.Export(k, &other); err != nil {
		return fmt.Errorf("key refused by jwx: %v", err)
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if e, ok := pub.(equaler); !ok || !e.Equal(other) {
		return errors.New("key material differs between decoders")
	}
	return nil
}

// checkUse applies RFC 7517 sections 4.2 and 4.3 as a policy: use, when
// present, is "sig"; key_ops, when present, holds "verify", nothing but
// signature operations, and no duplicates.
func checkUse(m map[string]json.RawMessage) error {
	use, hasUse, err := str(m, "use")
	if err != nil {
		return err
	}
	if hasUse && use != "sig" {
		return fmt.Errorf("use %s is not sig", quote(use))
	}
	raw, ok := m["key_ops"]
	if !ok {
		return nil
	}
	if first(raw) != '[' {
		return errors.New("key_ops is not an array")
	}
	var ops []json.RawMessage
	if err := json.Unmarshal(raw, &ops); err != nil {
		return err
	}
	seen := make(map[string]bool, len(ops))
	for _, o := range ops {
		var op string
		if first(o) != '"' || json.Unmarshal(o, &op) != nil {
			return errors.New("key_ops holds a non-string")
		}
		if seen[op] {
			return fmt.Errorf("key_ops lists %s twice", quote(op))
		}
		seen[op] = true
		if op != "verify" && op != "sign" {
			return fmt.Errorf("key_ops %s is not a signature operation", quote(op))
		}
	}
	if !seen["verify"] {
		return errors.New("key_ops lacks verify")
	}
	return nil
}

// bindAlg returns the one algorithm the key is bound to.
func bindAlg(kty, crv, alg string, hasAlg bool) (string, error) {
	var allowed []string
	switch kty {
	case "RSA":
		allowed = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}
	case "EC":
		ca, ok := curveAlg[crv]
		if !ok {
			return "", fmt.Errorf("unsupported curve %s", quote(crv))
		}
		allowed = []string{ca}
	case "OKP":
		if crv != "Ed25519" {
			return "", fmt.Errorf("unsupported OKP curve %s", quote(crv))
		}
		allowed = []string{"EdDSA", "Ed25519"}
	case "oct":
		if !hasAlg {
			return "", errors.New("an oct key must name its alg")
		}
		allowed = []string{"HS256", "HS384", "HS512"}
	}
	if !hasAlg {
		return allowed[0], nil
	}
	for _, a := range allowed {
		if alg == a {
			return a, nil
		}
	}
	return "", fmt.Errorf("alg %s does not fit a %s key", quote(alg), kty+crvSuffix(crv))
}

func crvSuffix(crv string) string {
	if crv == "" {
		return ""
	}
	return " on " + cut(crv)
}

var curveAlg = map[string]string{"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}
