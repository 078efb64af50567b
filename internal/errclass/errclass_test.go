package errclass

import (
	"errors"
	"fmt"
	"testing"

	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/verifier"
)

// TestDescriptionsQuotable: every description goes into a quoted
// WWW-Authenticate parameter and a gRPC status message: printable ASCII
// without '"' or '\' (RFC 6749 section 5.2's error_description set), and
// no two token classes share one but the classes meant to look alike.
func TestDescriptionsQuotable(t *testing.T) {
	all := []string{Uniform, UniformDPoPToken, UniformProof}
	for c := range N {
		all = append(all, c.Description(false))
	}
	for _, d := range all {
		if d == "" {
			t.Errorf("empty description")
		}
		for i := 0; i < len(d); i++ {
			if b := d[i]; b < 0x20 || b > 0x7e || b == '"' || b == '\\' {
				t.Errorf("description %q: byte %q not allowed", d, b)
			}
		}
	}
	seen := map[string]Class{}
	for c := range N {
		d := c.Description(false)
		if o, ok := seen[d]; ok {
			t.Errorf("classes %d and %d share %q", o, c, d)
		}
		seen[d] = c
	}
}

// TestToken: each sentinel of the verifier maps to its class, wrapped or
// not, whatever message it carries; bad signature, unknown key and a
// refused algorithm are one class; what no class names is Invalid.
func TestToken(t *testing.T) {
	tests := []struct {
		err  error
		want Class
	}{
		{verifier.ErrExpired, Expired},
		{verifier.ErrNotYetValid, NotYetValid},
		{verifier.ErrAudience, Audience},
		{verifier.ErrIssuer, Issuer},
		{verifier.ErrSignature, Signature},
		{verifier.ErrKeyNotFound, Signature},
		{verifier.ErrAlgorithm, Signature},
		{verifier.ErrDecrypt, Signature},
		{verifier.ErrMalformed, Malformed},
		{verifier.ErrMissingClaim, MissingClaim},
		{verifier.ErrTokenType, TokenType},
		{verifier.ErrBoundToken, Bound},
		{verifier.ErrRevoked, Revoked},
		{verifier.ErrOrganization, Organization},
		{verifier.ErrAuthorizedParty, AuthorizedParty},
		{fmt.Errorf("%w: %w", verifier.ErrClaimsRejected, verifier.ErrExpired), Rejected}, // the hook's error may wrap anything
		{verifier.ErrNonce, Invalid},
		{verifier.ErrMaxAge, Invalid},
		{errors.New("something else"), Invalid},
		{nil, Invalid},
	}
	for _, tt := range tests {
		name := "nil"
		if tt.err != nil {
			name = tt.err.Error()
		}
		t.Run(name, func(t *testing.T) {
			for _, err := range []error{tt.err, fmt.Errorf("layer: %w", tt.err), &verifier.ValidationError{Claim: "x", Message: `"quoted" eyJhbGciOi`, Err: tt.err}} {
				if tt.err == nil && err != nil {
					continue
				}
				if got := Token(err); got != tt.want {
					t.Errorf("Token(%v): got %d, want %d", err, got, tt.want)
				}
			}
		})
	}
}

// TestProof: each proof sentinel maps to its class; unknown errors are
// ProofInvalid; proof classes answer with the proof texts when uniform.
func TestProof(t *testing.T) {
	tests := []struct {
		err  error
		want Class
	}{
		{dpop.ErrMissing, ProofMissing},
		{dpop.ErrMalformed, ProofInvalid},
		{dpop.ErrSignature, ProofInvalid},
		{dpop.ErrMethod, ProofRequest},
		{dpop.ErrURL, ProofRequest},
		{dpop.ErrIssuedAt, ProofTime},
		{dpop.ErrTokenHash, ProofToken},
		{dpop.ErrReplay, ProofReplay},
		{dpop.ErrBinding, ProofKey},
		{dpop.ErrNotBound, ProofKey},
		{errors.New("other"), ProofInvalid},
	}
	for _, tt := range tests {
		if got := Proof(fmt.Errorf("x: %w", tt.err)); got != tt.want {
			t.Errorf("Proof(%v): got %d, want %d", tt.err, got, tt.want)
		}
		if got := tt.want.Description(true); got != UniformProof {
			t.Errorf("%d uniform: got %q, want %q", tt.want, got, UniformProof)
		}
	}
	if got := Class(200).Description(false); got != Invalid.Description(false) {
		t.Errorf("out of range class: got %q, want the Invalid text", got)
	}
}
