package verifier_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tokengate/tokengate/internal/jose"
	"github.com/tokengate/tokengate/verifier"
)

// Fuzz targets of the token parser (FuzzVerify), the JOSE header parser of
// internal/jose (FuzzParseHeader; it lives here so that it seeds from the
// same case tables), and the claims decoding (FuzzClaims). The strict JSON
// scanner's own target is FuzzScanner in internal/strictjson. Seeds: every
// table case of SECURITY.md (tokens up to maxSeed bytes; larger ones
// all take the size-cap path).

const maxSeed = 64 << 10

// fuzzSource serves the keys of every table: HMAC algorithms from an HMAC
// set, the others from a public-key set (a set cannot mix them).
type fuzzSource struct{ asym, sym *verifier.KeySet }

func (s fuzzSource) Key(ctx context.Context, kid, alg string) (*verifier.Key, error) {
	if strings.HasPrefix(alg, "HS") {
		return s.sym.Key(ctx, kid, alg)
	}
	return s.asym.Key(ctx, kid, alg)
}

func newFuzzSource() fuzzSource {
	loadKeys()
	return fuzzSource{
		asym: set(
			key("k1", "RS256", rsaPub()), key("k2", "RS256", &rsaKey2.PublicKey), key("p1", "PS256", rsaPub()),
			key("e1", "ES256", ecPub()), key("p384", "ES384", &ec384Key.PublicKey), key("o1", "EdDSA", edPub()),
			key("x1", "PS384", rsaPub()), key("x1", "ES512", &ec521Key.PublicKey), key("x1", "Ed25519", edPub()),
		),
		sym: set(key("h1", "HS256", hmacKey), key("x1", "HS384", hmacKey), key("x5", "HS512", hmacKey)),
	}
}

var allAlgs = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519", "HS256", "HS384", "HS512"}

// tableTokens returns the tokens of every table case, up to maxSeed bytes.
func tableTokens(tb testing.TB) []string {
	loadKeys()
	var out []string
	for _, tc := range allCases() {
		if tok := tc.tok(tb); len(tok) <= maxSeed {
			out = append(out, tok)
		}
	}
	return out
}

// segments decodes the header and payload of a compact token, leniently
// (seeds only).
func segments(tok string) (header, payload []byte) {
	p := strings.Split(tok, ".")
	if len(p) < 2 {
		return nil, nil
	}
	header, _ = base64.RawURLEncoding.DecodeString(p[0])
	payload, _ = base64.RawURLEncoding.DecodeString(p[1])
	return header, payload
}

// extraPayloads are claims seeds beyond the tables: every cnf shape of X1,
// and objects whose member names are crafted against the member index (X2):
// names that fold alike (Kelvin sign, long s), names whose old unseeded
// FNV-1a hashes share their low 12 bits, and one member over the cap.
func extraPayloads() []string {
	var out []string
	for _, sh := range x1Shapes() {
		out = append(out, x1Payload(sh.cnf))
	}
	crafted := func(names []string) string {
		var b strings.Builder
		for i, n := range names {
			fmt.Fprintf(&b, "%q:%d,", n, i)
		}
		return payload(strings.TrimSuffix(b.String(), ","))
	}
	out = append(out,
		crafted(collidingNames(100)),
		crafted(append(collidingNames(40), "\u212aid", "kid")),
		crafted([]string{"\u017fub", "sub"}),
		payload(`"x":{`+strings.TrimPrefix(strings.TrimSuffix(crafted(collidingNames(1025)), "}"), "{")+`}`),
	)
	return out
}

// collidingNames returns n names whose FNV-1a hashes (the member index hash
// before X2, which anyone can compute offline) agree in the low 12 bits:
// the first n of one fixed sequence ("c<hex>"), found once per process.
func collidingNames(n int) []string {
	names := collidingNameList()
	if n > len(names) {
		panic(fmt.Sprintf("collidingNames(%d): at most %d", n, len(names)))
	}
	return names[:n:n]
}

// collidingNameList finds the names "c%x" whose FNV-1a hash agrees with
// that of "c0" in the low 12 bits, hashing the hex digits of each i in
// registers: about 4 million candidates, which fmt.Sprintf made the slowest
// part of the seed corpus under -race.
var collidingNameList = sync.OnceValue(func() []string {
	const maxNames = 1025
	offset, prime := uint32(2166136261), uint32(16777619)
	hash := func(i uint64) uint32 {
		h := (offset ^ 'c') * prime
		for shift := (max(bits.Len64(i), 1) + 3) / 4 * 4; shift > 0; shift -= 4 {
			d := uint32(i>>(shift-4)) & 0xf
			c := '0' + d
			if d >= 10 {
				c = 'a' + d - 10
			}
			h = (h ^ c) * prime
		}
		return h
	}
	want := hash(0) & 0xfff
	out := make([]string, 0, maxNames)
	for i := uint64(0); len(out) < maxNames; i++ {
		if hash(i)&0xfff == want {
			out = append(out, "c"+strconv.FormatUint(i, 16))
		}
	}
	return out
})

func FuzzVerify(f *testing.F) {
	for _, tok := range tableTokens(f) {
		f.Add(tok)
	}
	for _, p := range extraPayloads() {
		f.Add(rs(p)(f))
	}
	src := newFuzzSource()
	cfg := func(cache int) verifier.Config {
		return verifier.Config{
			Issuer: testIss, Audience: []string{testAud, "client-1"}, Algorithms: allAlgs, Keys: src,
			Now: func() time.Time { return testNow }, CacheSize: cache,
		}
	}
	v, err := verifier.New(cfg(0))
	if err != nil {
		f.Fatal(err)
	}
	fresh, err := verifier.New(cfg(-1))
	if err != nil {
		f.Fatal(err)
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := v.Verify(ctx, tok)
		if err != nil {
			checkRefusal(t, c, err)
			return
		}
		// Accepted: it must re-verify identically, from the cache and
		// without it, and its signature check must give the same payload.
		c2, err2 := v.Verify(ctx, tok)
		c3, err3 := fresh.Verify(ctx, tok)
		if err2 != nil || err3 != nil || !reflect.DeepEqual(c, c2) || !reflect.DeepEqual(c, c3) {
			t.Fatalf("re-verification differs: %v, %v", err2, err3)
		}
		p, err := fresh.VerifySignature(ctx, tok)
		if err != nil || !bytes.Equal(p, c.Raw()) {
			t.Fatalf("VerifySignature: got %q, %v; want the claims' payload", p, err)
		}
		// Canonical: each segment is the one encoding of its bytes, and
		// the claims are JSON that encoding/json accepts too.
		for _, seg := range strings.Split(tok, ".") {
			b, err := base64.RawURLEncoding.Strict().DecodeString(seg)
			if err != nil || base64.RawURLEncoding.EncodeToString(b) != seg {
				t.Fatalf("accepted a non-canonical segment %q", seg)
			}
		}
		if !json.Valid(c.Raw()) || !utf8.Valid(c.Raw()) {
			t.Fatalf("accepted claims that are not valid UTF-8 JSON: %q", c.Raw())
		}
	})
}

// checkRefusal: no claims, a *ValidationError wrapping exactly one sentinel.
func checkRefusal(t *testing.T, c *verifier.Claims, err error) {
	t.Helper()
	if c != nil {
		t.Fatalf("got claims with error %v", err)
	}
	var ve *verifier.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %T %v, want *verifier.ValidationError", err, err)
	}
	n := 0
	for _, s := range sentinels {
		if errors.Is(err, s) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("error %v matches %d sentinels, want 1", err, n)
	}
	if r := verifier.Reason(err); r == "other" {
		t.Fatalf("Reason(%v) = other", err)
	}
}

func FuzzClaims(f *testing.F) {
	loadKeys()
	for _, tc := range allCases() {
		if tc.payload != "" && len(tc.payload) <= maxSeed {
			f.Add(tc.payload)
		}
	}
	for _, tok := range tableTokens(f) {
		if _, p := segments(tok); len(p) > 0 {
			f.Add(string(p))
		}
	}
	f.Add(`{}`)
	f.Add(idPayload(`"nonce":"n","auth_time":1799999000,"org_id":"org_1","org_name":"acme"`))
	for _, p := range extraPayloads() {
		f.Add(p)
	}
	secret, err := verifier.Secret(hmacKey)
	if err != nil {
		f.Fatal(err)
	}
	v, err := verifier.New(verifier.Config{
		Issuer: testIss, Audience: []string{testAud, "client-1"}, Algorithms: []string{"HS256"}, Keys: secret,
		Now: func() time.Time { return testNow },
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, p string) {
		parsed, perr := verifier.ParseClaims([]byte(p))
		if perr != nil {
			if parsed != nil || !errors.Is(perr, verifier.ErrMalformed) {
				t.Fatalf("ParseClaims: got %v, %v; want nil and ErrMalformed", parsed, perr)
			}
		} else {
			compareWithEncodingJSON(t, p, parsed)
		}
		tok := sign(t, "HS256", hmacKey, `{"alg":"HS256","typ":"JWT"}`, p)
		c, err := v.Verify(context.Background(), tok)
		if err != nil {
			checkRefusal(t, c, err)
			if perr != nil && !errors.Is(err, verifier.ErrMalformed) {
				t.Fatalf("claims the parser refuses gave %v, want ErrMalformed", err)
			}
			if perr == nil && errors.Is(err, verifier.ErrMalformed) && len(tok) <= 16<<10 {
				t.Fatalf("claims the parser accepts gave %v", err)
			}
			return
		}
		if perr != nil {
			t.Fatalf("Verify accepted claims the parser refuses (%v)", perr)
		}
		if !reflect.DeepEqual(c, parsed) {
			t.Fatalf("Verify's claims differ from ParseClaims'")
		}
		// X1: a token with cnf never passes a call that checks no binding,
		// and a call that checks both bindings accepts every bearer token.
		var members map[string]json.RawMessage
		if json.Unmarshal([]byte(p), &members) == nil {
			if _, bound := members["cnf"]; bound {
				t.Fatalf("a token with cnf %s passed as a bearer token", members["cnf"])
			}
		}
		if _, err := v.Verify(context.Background(), tok, verifier.WithBindings(verifier.BindingDPoP|verifier.BindingMTLS)); err != nil {
			t.Fatalf("WithBindings refused a bearer token: %v", err)
		}
	})
}

// compareWithEncodingJSON checks that encoding/json accepts what our claims
// parser accepted, and reads the same registered claims from it.
func compareWithEncodingJSON(t *testing.T, p string, c *verifier.Claims) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(p))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("our parser accepted claims encoding/json refuses: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("our parser accepted trailing data: %v", err)
	}
	str := func(name, got string) {
		v, ok := m[name]
		if !ok {
			if got != "" {
				t.Fatalf("%s: got %q, encoding/json has none", name, got)
			}
			return
		}
		s, isStr := v.(string)
		if !isStr || s != got {
			t.Fatalf("%s: got %q, encoding/json has %#v", name, got, v)
		}
	}
	str("iss", c.Issuer)
	str("sub", c.Subject)
	str("azp", c.AuthorizedParty)
	str("client_id", c.ClientID)
	str("jti", c.ID)
	str("nonce", c.Nonce)
	str("org_id", c.OrgID)
	str("org_name", c.OrgName)
	list := func(name string, got []string) {
		v, ok := m[name]
		if !ok {
			if got != nil {
				t.Fatalf("%s: got %q, encoding/json has none", name, got)
			}
			return
		}
		var want []string
		switch v := v.(type) {
		case string:
			want = []string{v}
		case []any:
			want = []string{}
			for _, e := range v {
				s, ok := e.(string)
				if !ok {
					t.Fatalf("%s: accepted a non-string entry %#v", name, e)
				}
				want = append(want, s)
			}
		default:
			t.Fatalf("%s: accepted %#v", name, v)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: got %q, encoding/json has %q", name, got, want)
		}
	}
	list("aud", c.Audience)
	list("permissions", c.Permissions)
	if s, ok := m["scope"].(string); ok {
		// Split on spaces only (RFC 6749 section 3.3: scope-tokens are
		// separated by %x20), empty entries dropped; strings.Fields would
		// also split on "\r" and the other white space.
		want := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' })
		if len(want) == 0 {
			want = []string{}
		}
		if !reflect.DeepEqual(c.Scope, want) {
			t.Fatalf("scope: got %q, want %q", c.Scope, want)
		}
	} else if _, present := m["scope"]; present || c.Scope != nil {
		t.Fatalf("scope: got %q, encoding/json has %#v", c.Scope, m["scope"])
	}
	date := func(name string, got time.Time) {
		v, ok := m[name]
		if !ok {
			if !got.IsZero() {
				t.Fatalf("%s: got %v, encoding/json has none", name, got)
			}
			return
		}
		n, ok := v.(json.Number)
		if !ok {
			t.Fatalf("%s: accepted %#v", name, v)
		}
		f, err := n.Float64()
		if err != nil || f < 0 || f > 253402300799 {
			t.Fatalf("%s: accepted %s", name, n)
		}
		if got.Unix() != int64(math.Floor(f)) {
			t.Fatalf("%s: got %v, encoding/json has %s", name, got, n)
		}
	}
	// cnf: an object whose jkt and x5t#S256, when present, are strings.
	var conf verifier.Confirmation
	v, ok := m["cnf"]
	if ok != (c.Confirmation != nil) {
		t.Fatalf("cnf: got %+v, encoding/json has %#v", c.Confirmation, v)
	}
	if ok {
		obj, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("cnf: accepted %#v", v)
		}
		for name, dst := range map[string]*string{"jkt": &conf.JKT, "x5t#S256": &conf.X5TS256} {
			if e, ok := obj[name]; ok {
				if *dst, ok = e.(string); !ok {
					t.Fatalf("cnf %s: accepted %#v", name, e)
				}
			}
		}
	}
	if c.Confirmation != nil && *c.Confirmation != conf {
		t.Fatalf("cnf: got %+v, encoding/json has %+v", *c.Confirmation, conf)
	}
	date("exp", c.ExpiresAt)
	date("nbf", c.NotBefore)
	date("iat", c.IssuedAt)
	date("auth_time", c.AuthTime)
}

// tableJSON returns the header and payload JSON texts of every table case.
func tableJSON(tb testing.TB) [][]byte {
	var out [][]byte
	for _, tok := range tableTokens(tb) {
		h, p := segments(tok)
		if len(h) > 0 {
			out = append(out, h)
		}
		if len(p) > 0 {
			out = append(out, p)
		}
	}
	for _, tc := range allCases() {
		if tc.payload != "" && len(tc.payload) <= maxSeed {
			out = append(out, []byte(tc.payload))
		}
	}
	return out
}

func FuzzParseHeader(f *testing.F) {
	for _, b := range tableJSON(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := jose.ParseHeader(data)
		if err != nil {
			return
		}
		if !utf8.Valid(data) {
			t.Fatalf("accepted invalid UTF-8")
		}
		if h.Alg == 0 || h.Alg.String() == "" {
			t.Fatalf("accepted a header without a supported alg")
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber() // 1e400 is valid JSON, but no float64
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("accepted a header encoding/json refuses: %v", err)
		}
		if alg, _ := m["alg"].(string); alg != h.Alg.String() {
			t.Fatalf("alg: got %s, encoding/json has %#v", h.Alg, m["alg"])
		}
		member := func(name string, has bool, got []byte) {
			v, ok := m[name]
			if ok != has {
				t.Fatalf("%s: present %v, encoding/json: %v", name, has, ok)
			}
			if s, _ := v.(string); has && s != string(got) {
				t.Fatalf("%s: got %q, encoding/json has %#v", name, got, v)
			}
		}
		member("kid", h.HasKid, h.Kid)
		member("typ", h.HasTyp, h.Typ)
		_, jwk := m["jwk"]
		_, jku := m["jku"]
		_, x5u := m["x5u"]
		_, x5c := m["x5c"]
		if h.Embedded != (jwk || jku || x5u || x5c) {
			t.Fatalf("Embedded %v for members %v", h.Embedded, m)
		}
		for _, refused := range []string{"crit", "b64", "cty", "enc", "zip", "p2c"} {
			if _, ok := m[refused]; ok {
				t.Fatalf("accepted a header with %q", refused)
			}
		}
		// No two top-level names equal under case folding.
		names := make([]string, 0, len(m))
		for k := range m {
			for _, o := range names {
				if strings.EqualFold(k, o) {
					t.Fatalf("accepted case-folded duplicates %q and %q", k, o)
				}
			}
			names = append(names, k)
		}
	})
}
