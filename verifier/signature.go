package verifier

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tokengate/tokengate/internal/jose"
)

// VerifySignature applies the header policy, the typ rules included
// (Config.Types and Kind, as Verify applies them), and checks the signature,
// and returns the payload without looking at it: no claim is checked, not
// even exp or cnf (a sender-constrained token is returned as any other). Use
// it only where the caller checks the claims itself.
func (v *Verifier) VerifySignature(ctx context.Context, token string) ([]byte, error) {
	if len(token) > v.maxSize {
		return nil, newError(ErrMalformed, "token", "token larger than the configured maximum")
	}
	inner, _, err := v.unwrap(token, nil)
	if err != nil {
		return nil, err
	}
	payload, _, _, _, _, err := v.verifySignature(ctx, inner)
	if err != nil {
		return nil, err
	}
	return payload, nil
}

// maxSignature bounds the decoded signature: an RSA-8192 signature.
const maxSignature = 1024

// verifySignature also returns, with a resolver, the issuer whose keys
// verified the token ("" without a resolver).
func (v *Verifier) verifySignature(ctx context.Context, token string) (payload []byte, key *Key, alg jose.Alg, hdr jose.Header, iss string, err error) {
	if token == "" {
		return nil, nil, 0, hdr, "", newError(ErrMalformed, "token", v.kindName()+" is required but missing")
	}
	dot1, dot2, err := jose.Split(token)
	if err != nil {
		return nil, nil, 0, hdr, "", newError(ErrMalformed, "token", err.Error())
	}
	hlen := jose.DecodedLen(dot1)
	if hlen > jose.MaxHeader {
		return nil, nil, 0, hdr, "", newError(ErrMalformed, "header", "header too large")
	}
	slen := jose.DecodedLen(len(token) - dot2 - 1)
	if slen > maxSignature {
		return nil, nil, 0, hdr, "", newError(ErrSignature, "signature", "signature too long")
	}
	// One buffer for header and payload; the payload part outlives the call
	// as Claims.raw, and the strings of Claims and the kid alias it.
	buf := make([]byte, hlen+jose.DecodedLen(dot2-dot1-1))
	hb, err := jose.Decode(buf[:hlen], token[:dot1])
	if err != nil {
		return nil, nil, 0, hdr, "", newError(ErrMalformed, "header", "header: "+err.Error())
	}
	if !utf8.Valid(hb) {
		return nil, nil, 0, hdr, "", newError(ErrMalformed, "header", "header is not UTF-8")
	}
	hdr, err = jose.ParseHeader(hb)
	if err != nil {
		return nil, nil, 0, hdr, "", v.headerError(err, hdr)
	}
	alg = hdr.Alg
	if !v.algs[alg] {
		return nil, nil, alg, hdr, "", v.algError(quote(alg.String()))
	}
	if v.embedded && hdr.Embedded {
		return nil, nil, alg, hdr, "", newError(ErrMalformed, "header", "header carries key material or a key URL (jwk, jku, x5u, x5c)")
	}
	payload, err = jose.Decode(buf[hlen:], token[dot1+1:dot2])
	if err != nil {
		return nil, nil, alg, hdr, "", newError(ErrMalformed, "payload", "payload: "+err.Error())
	}
	// The signature segment is checked before the key lookup too: a token
	// that is not canonical base64url never reaches the key source (which
	// may refetch a JWKS for an unknown kid).
	var sbuf [maxSignature]byte
	sig, err := jose.Decode(sbuf[:], token[dot2+1:])
	if err != nil {
		return nil, nil, alg, hdr, "", newError(ErrMalformed, "signature", "signature: "+err.Error())
	}
	keys := v.keys
	switch {
	case v.resolver != nil:
		var ok bool
		if iss, ok = peekIssuer(payload); !ok {
			return nil, nil, alg, hdr, "", newError(ErrIssuer, "iss", "issuer (iss) claim must be a string present in the token")
		}
		if keys, err = v.resolve(ctx, iss); err != nil {
			return nil, nil, alg, hdr, "", err
		}
	case v.issuers != nil:
		i, ok := peekIssuer(payload)
		if !ok {
			return nil, nil, alg, hdr, "", newError(ErrIssuer, "iss", "issuer (iss) claim must be a string present in the token")
		}
		if keys, ok = v.issuers[i]; !ok {
			return nil, nil, alg, hdr, "", newError(ErrIssuer, "iss", "issuer (iss) is not one of the configured issuers")
		}
	}
	key, err = keys.Key(ctx, str(hdr.Kid), alg.String())
	if err != nil {
		return nil, nil, alg, hdr, "", keyLookupError(err, hdr)
	}
	if key == nil {
		// A source that answers (nil, nil) has no key for the token.
		return nil, nil, alg, hdr, "", keyLookupError(ErrKeyNotFound, hdr)
	}
	if !key.accepts(alg) {
		return nil, nil, alg, hdr, "", newError(ErrAlgorithm, "alg", fmt.Sprintf("key %s is bound to %s, not %s", quoteID(hdr.Kid), key.Algorithm(), alg))
	}
	if !key.verify(alg, token[:dot2], sig) {
		return nil, nil, alg, hdr, "", newError(ErrSignature, "signature", "Invalid token signature")
	}
	// typ is header policy (RFC 8725 section 3.11), checked here so that
	// VerifySignature applies it as Verify does; after the signature, so
	// that a forged token reports ErrSignature whatever its typ.
	if err := v.checkType(hdr); err != nil {
		return nil, nil, alg, hdr, "", err
	}
	return payload, key, alg, hdr, iss, nil
}

// algError is the Auth0 SDK's message for an alg that is not accepted.
func (v *Verifier) algError(quoted string) error {
	return newError(ErrAlgorithm, "alg", fmt.Sprintf("Signature algorithm of %s is not supported. Expected the token to be signed with %s", quoted, v.expected))
}

func (v *Verifier) headerError(err error, hdr jose.Header) error {
	switch {
	case errors.Is(err, jose.ErrNoAlg):
		return newError(ErrAlgorithm, "alg", "header has no alg")
	case errors.Is(err, jose.ErrUnknownAlg):
		return v.algError(quoteID(hdr.AlgRaw))
	case errors.Is(err, jose.ErrKidTooLong), errors.Is(err, jose.ErrKidControl):
		return newError(ErrMalformed, "kid", err.Error())
	}
	return newError(ErrMalformed, "header", "header: "+err.Error())
}

func keyLookupError(err error, hdr jose.Header) error {
	switch {
	case errors.Is(err, ErrKeysUnavailable):
		return &ValidationError{Claim: "kid", Message: causeOf(err, ErrKeysUnavailable), Err: ErrKeysUnavailable}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.Is(err, ErrKeyNotFound):
		return newError(ErrKeyNotFound, "kid", fmt.Sprintf("Key with ID %s was not found for the token's algorithm (%s)", quoteID(hdr.Kid), hdr.Alg))
	}
	return &ValidationError{Claim: "kid", Message: err.Error(), Err: ErrKeysUnavailable}
}

// causeOf is the message of err, an error that wraps sentinel, without
// the sentinel's text when err's starts with it: the ValidationError that
// carries it prints the sentinel once ("verifier: keys unavailable: jwks:
// fetch ...", not "verifier: keys unavailable: verifier: keys
// unavailable: ...").
func causeOf(err, sentinel error) string {
	msg, prefix := err.Error(), sentinel.Error()
	if msg == prefix {
		return ""
	}
	return strings.TrimPrefix(msg, prefix+": ")
}

// quoteID quotes an attacker-controlled identifier for a message: escaped,
// and cut to 64 bytes.
func quoteID(b []byte) string {
	const limit = 64
	if len(b) > limit {
		return fmt.Sprintf("%q...", b[:limit])
	}
	return fmt.Sprintf("%q", b)
}

func quote(s string) string { return quoteID([]byte(s)) }
