package verifier

import (
	"fmt"
	"reflect"
)

// Hooks for the tests of package verifier_test; compiled into tests only.

// ParseClaims runs the claims parser of Verify on a payload (FuzzClaims
// compares it with encoding/json).
func ParseClaims(payload []byte) (*Claims, error) {
	c := &Claims{}
	if err := parseClaims(payload, c, nil, nil, defaultMaxActorDepth, nil); err != nil {
		return nil, err
	}
	return c, nil
}

// DecodeCustom runs what Typed.Verify does to a payload once the signature
// verified: the strict claims parser of Verify, then the decoding plan of T
// (FuzzTC8TypedDecode compares it with encoding/json).
func DecodeCustom[T any](payload []byte) (*T, error) {
	c := &Claims{}
	var others memberIndex
	if err := parseClaims(payload, c, nil, nil, defaultMaxActorDepth, &others); err != nil {
		return nil, err
	}
	p, err := planFor(reflect.TypeFor[T]())
	if err != nil {
		return nil, err
	}
	// Both ways Typed decodes: from the recorded members (a miss), and from
	// the payload (a hit on claims cached by a plain Verify); they agree.
	val, err := p.value(c, &others, false)
	full, fullErr := p.value(c, nil, false)
	if (err == nil) != (fullErr == nil) || (err == nil && !reflect.DeepEqual(*(*T)(val), *(*T)(full))) {
		panic(fmt.Sprintf("verifier: the two decodings of %s disagree: %v, %v", payload, err, fullErr))
	}
	if err != nil {
		return nil, err
	}
	return (*T)(val), nil
}
