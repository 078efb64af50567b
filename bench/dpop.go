package bench

import (
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/auth0/go-jwt-middleware/v3/core"
	validatorv3 "github.com/auth0/go-jwt-middleware/v3/validator"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/verifier"
)

// DPoP is the alg= label of the DPoP rows (RFC 9449): one request to an
// API, an RS256 access token bound to an ES256 proof key (cnf.jkt), with a
// fresh proof for each request.
const DPoP = "DPoP"

// The request every DPoP contender checks.
const (
	DPoPMethod = http.MethodGet
	DPoPOrigin = "https://api.tokengate.example"
	DPoPPath   = "/orgs/org_7rWcG3Sxv1XNqX9Z/items"
	DPoPURL    = DPoPOrigin + DPoPPath
)

// DPoPFixture is what the DPoP contenders share: the bound token, the key
// that verifies it, and the client's proof key.
type DPoPFixture struct {
	// Token is the good claims of the bearer fixture plus cnf.jkt, signed
	// RS256 under the benchmark header.
	Token string
	// Key verifies Token.
	Key *rsa.PublicKey
	// ProofKey signs the proofs; JKT is its RFC 7638 thumbprint.
	ProofKey *authtest.DPoPKey
	JKT      string
	// Thief is another client's key: a proof signed with it is refused.
	Thief *authtest.DPoPKey
}

// NewDPoPFixture makes the DPoP fixture with k's RSA key, as issued at now.
func NewDPoPFixture(k *Keys, now time.Time) (*DPoPFixture, error) {
	pk, err := authtest.NewDPoPKey("ES256")
	if err != nil {
		return nil, err
	}
	thief, err := authtest.NewDPoPKey("ES256")
	if err != nil {
		return nil, err
	}
	f := &DPoPFixture{Key: &k.RSA.PublicKey, ProofKey: pk, JKT: pk.JKT(), Thief: thief}
	// The bearer fixture's claims, whatever they are, plus cnf.
	payload, err := json.Marshal(struct {
		Claims
		Cnf map[string]string `json:"cnf"`
	}{GoodClaims(now), map[string]string{"jkt": f.JKT}})
	if err != nil {
		return nil, err
	}
	input := b64(tokenHeader(RS256)) + "." + base64.RawURLEncoding.EncodeToString(payload)
	sig, err := sign(RS256, k, []byte(input))
	if err != nil {
		return nil, err
	}
	f.Token = input + "." + base64.RawURLEncoding.EncodeToString(sig)
	return f, nil
}

// Proof signs a fresh proof of the benchmark request for Token (a random
// jti, iat now); p's non-zero fields override that.
func (f *DPoPFixture) Proof(p authtest.Proof) (string, error) {
	if p.Method == "" {
		p.Method = DPoPMethod
	}
	if p.URL == "" {
		p.URL = DPoPURL
	}
	if p.AccessToken == "" {
		p.AccessToken = f.Token
	}
	return f.ProofKey.Proof(p)
}

// Proofs signs n fresh proofs: the replay store refuses a proof twice, so a
// benchmark needs one per iteration, made before its timer starts.
func (f *DPoPFixture) Proofs(n int) ([]string, error) {
	out := make([]string, n)
	for i := range out {
		var err error
		if out[i], err = f.Proof(authtest.Proof{}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DPoPVerifyFunc checks one request carrying token with the DPoP scheme
// and proof in its DPoP header; nil means accepted.
type DPoPVerifyFunc func(ctx context.Context, token, proof string) error

// DPoPContender is one library's DPoP path.
type DPoPContender struct {
	Name, Library, Setup string
	// Replay reports whether the contender refuses a proof seen before;
	// CheckDPoP asks it of those that do.
	Replay bool
	New    func(f *DPoPFixture) (DPoPVerifyFunc, error)
}

// DPoPContenders returns the contenders of the DPoP rows.
func DPoPContenders() []DPoPContender {
	return []DPoPContender{tokengateDPoP(false), tokengateDPoP(true), goJWTMiddlewareV3DPoP()}
}

// tokengateDPoP is what middleware.WithDPoP does per request: Verify with
// WithBindings(BindingDPoP), then dpop.VerifyRequest on the request (its
// DPoP header, the URL from Config.URL and the request path, the
// in-memory replay store).
func tokengateDPoP(cached bool) DPoPContender {
	c := DPoPContender{
		Name: NameTokengate, Library: "github.com/tokengate/tokengate", Replay: true,
		Setup: "verifier.Verify(WithBindings(BindingDPoP)), CacheSize -1; dpop.VerifyRequest (Config.URL, in-memory replay store) on an *http.Request",
	}
	if cached {
		c.Name = NameTokengateCached
		c.Setup = "as tokengate, the access token a verified-token cache hit (the proof is checked in full)"
	}
	c.New = func(f *DPoPFixture) (DPoPVerifyFunc, error) {
		k, err := verifier.NewKey(KeyID, RS256, f.Key)
		if err != nil {
			return nil, err
		}
		keys, err := verifier.NewKeySet(k)
		if err != nil {
			return nil, err
		}
		cfg := verifier.Config{Issuer: Issuer, Audience: []string{Audience}, Keys: keys}
		if !cached {
			cfg.CacheSize = -1
		}
		v, err := verifier.New(cfg)
		if err != nil {
			return nil, err
		}
		d, err := dpop.New(dpop.Config{URL: DPoPOrigin})
		if err != nil {
			return nil, err
		}
		r, err := http.NewRequest(DPoPMethod, DPoPURL, nil)
		if err != nil {
			return nil, err
		}
		r.RequestURI = DPoPPath
		r.Header["Dpop"] = []string{""}
		opt := verifier.WithBindings(verifier.BindingDPoP)
		return func(ctx context.Context, token, proof string) error {
			claims, err := v.Verify(ctx, token, opt)
			if err != nil {
				return err
			}
			r.Header["Dpop"][0] = proof // one request at a time
			_, err = d.VerifyRequest(ctx, r, token, claims)
			return err
		}, nil
	}
	return c
}

// goJWTMiddlewareV3DPoP is auth0/go-jwt-middleware v3's DPoP path: its
// core.CheckTokenWithDPoP with the validator it ships (jwx v3 inside), in
// DPoP-required mode, as its middleware calls it per request. It checks
// jti's presence but keeps no replay store (v3.3.0).
func goJWTMiddlewareV3DPoP() DPoPContender {
	return DPoPContender{
		Name: "go-jwt-middleware-v3", Library: "github.com/auth0/go-jwt-middleware/v3",
		Setup: "core.New(WithValidator(validator.New(static key, RS256, issuer, audience)), WithDPoPMode(DPoPRequired)); CheckTokenWithDPoP(token, DPoP scheme, proof, method, URL); no replay store",
		New: func(f *DPoPFixture) (DPoPVerifyFunc, error) {
			val, err := validatorv3.New(
				validatorv3.WithKeyFunc(func(context.Context) (any, error) { return f.Key, nil }),
				validatorv3.WithAlgorithm(validatorv3.RS256),
				validatorv3.WithIssuer(Issuer),
				validatorv3.WithAudience(Audience),
				validatorv3.WithCustomClaims(func() *mwClaims { return &mwClaims{} }),
			)
			if err != nil {
				return nil, err
			}
			c, err := core.New(core.WithValidator(v3Adapter{val}), core.WithDPoPMode(core.DPoPRequired))
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context, token, proof string) error {
				_, _, err := c.CheckTokenWithDPoP(ctx, token, core.AuthSchemeDPoP, proof, DPoPMethod, DPoPURL)
				return err
			}, nil
		},
	}
}

// v3Adapter is the adapter go-jwt-middleware's own middleware wraps its
// validator in (unexported there).
type v3Adapter struct{ v *validatorv3.Validator }

func (a v3Adapter) ValidateToken(ctx context.Context, token string) (any, error) {
	return a.v.ValidateToken(ctx, token)
}

func (a v3Adapter) ValidateDPoPProof(ctx context.Context, proof string) (core.DPoPProofClaims, error) {
	return a.v.ValidateDPoPProof(ctx, proof)
}

// DPoPCase is one request of the DPoP correctness check.
type DPoPCase struct {
	Name   string
	Proof  string
	Accept bool
}

// DPoPCases lists the proofs every DPoP contender must get right before it
// is timed: a good one, and proofs of another method, another URL, another
// token (ath), too old, signed by another key (jkt), and a good proof's
// claims under another proof's signature.
func DPoPCases(f *DPoPFixture) ([]DPoPCase, error) {
	type spec struct {
		name   string
		p      authtest.Proof
		thief  bool
		accept bool
	}
	var out []DPoPCase
	for _, s := range []spec{
		{name: "good", accept: true},
		{name: "wrong-htm", p: authtest.Proof{Method: http.MethodPost}},
		{name: "wrong-htu", p: authtest.Proof{URL: DPoPOrigin + "/admin"}},
		{name: "wrong-ath", p: authtest.Proof{AccessToken: "another.access.token"}},
		{name: "stale-iat", p: authtest.Proof{IssuedAt: time.Now().Add(-time.Hour)}},
		{name: "other-key", thief: true},
	} {
		var p string
		var err error
		if s.thief {
			s.p.URL, s.p.Method, s.p.AccessToken = DPoPURL, DPoPMethod, f.Token
			p, err = f.Thief.Proof(s.p)
		} else {
			p, err = f.Proof(s.p)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, DPoPCase{s.name, p, s.accept})
	}
	a, err := f.Proof(authtest.Proof{})
	if err != nil {
		return nil, err
	}
	b, err := f.Proof(authtest.Proof{Method: http.MethodDelete})
	if err != nil {
		return nil, err
	}
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	return append(out, DPoPCase{"bad-signature", pa[0] + "." + pa[1] + "." + pb[2], false}), nil
}

// CheckDPoP runs DPoPCases through verify, then, for a contender that
// claims it, a replay of the good proof.
func CheckDPoP(ctx context.Context, f *DPoPFixture, c DPoPContender, verify DPoPVerifyFunc) error {
	cases, err := DPoPCases(f)
	if err != nil {
		return err
	}
	var errs []error
	for _, tc := range cases {
		err := verify(ctx, f.Token, tc.Proof)
		switch {
		case tc.Accept && err != nil:
			errs = append(errs, fmt.Errorf("%w: %s proof: got error %v, want accepted", ErrCheck, tc.Name, err))
		case !tc.Accept && err == nil:
			errs = append(errs, fmt.Errorf("%w: %s proof: got accepted, want refused", ErrCheck, tc.Name))
		}
	}
	if c.Replay && verify(ctx, f.Token, cases[0].Proof) == nil {
		errs = append(errs, fmt.Errorf("%w: a replayed proof was accepted", ErrCheck))
	}
	return errors.Join(errs...)
}

// NewDPoPPrimitive is the floor of a proof check: SHA-256 of proof's
// signing input and ecdsa.Verify of its signature, r and s parsed
// beforehand.
func NewDPoPPrimitive(f *DPoPFixture, proof string) (func() bool, error) {
	i := strings.LastIndexByte(proof, '.')
	sig, err := base64.RawURLEncoding.DecodeString(proof[i+1:])
	if err != nil || len(sig) != 64 {
		return nil, errors.New("bench: proof signature is not 64 bytes of base64url")
	}
	pub, ok := f.ProofKey.Signer().Public().(*ecdsa.PublicKey)
	if !ok {
		return nil, errors.New("bench: proof key is not ECDSA")
	}
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	input := []byte(proof[:i])
	return func() bool {
		d := sha256.Sum256(input)
		return ecdsa.Verify(pub, d[:], r, s)
	}, nil
}
