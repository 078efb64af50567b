package verifier_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// chain returns an act claim of n nested actors, the first being agent1.
func chain(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(`,"act":`)
		}
		b.WriteString(`{"sub":"agent` + string(rune('0'+i%10)) + `","iss":"https://idp.example.com/"`)
	}
	b.WriteString(strings.Repeat("}", n))
	return `"act":` + b.String()
}

// TestActorChain (SECURITY.md DG1, DG2): act is typed on Claims as a chain
// of at most Config.MaxActorDepth actors (default 5); a longer chain, an
// act or may_act that is not an object, and sub, iss or client_id of
// another JSON type are refused as malformed (and never cached). may_act
// is one actor: a nested act in it is not read.
func TestActorChain(t *testing.T) {
	tests := []struct {
		id    string
		max   int
		extra string
		want  error
		depth int
	}{
		{"DG1/none", 0, ``, nil, 0},
		{"DG1/one", 0, chain(1), nil, 1},
		{"DG1/default-max", 0, chain(5), nil, 5},
		{"DG1/default-max-plus-one", 0, chain(6), verifier.ErrMalformed, 0},
		{"DG1/thirty", 0, chain(30), verifier.ErrMalformed, 0},
		{"DG1/configured-2", 2, chain(2), nil, 2},
		{"DG1/configured-2-plus-one", 2, chain(3), verifier.ErrMalformed, 0},
		{"DG1/configured-max", 31, chain(31), nil, 31},
		{"DG1/beyond-json-depth", 31, chain(32), verifier.ErrMalformed, 0},
		{"DG2/act-string", 0, `"act":"agent"`, verifier.ErrMalformed, 0},
		{"DG2/act-array", 0, `"act":[{"sub":"a"}]`, verifier.ErrMalformed, 0},
		{"DG2/act-null", 0, `"act":null`, verifier.ErrMalformed, 0},
		{"DG2/sub-number", 0, `"act":{"sub":1}`, verifier.ErrMalformed, 0},
		{"DG2/nested-sub-null", 0, `"act":{"sub":"a","act":{"sub":null}}`, verifier.ErrMalformed, 0},
		{"DG2/nested-act-string", 0, `"act":{"sub":"a","act":"b"}`, verifier.ErrMalformed, 0},
		{"DG2/duplicate-in-act", 0, `"act":{"sub":"a","sub":"b"}`, verifier.ErrMalformed, 0},
		{"DG2/folded-duplicate-in-act", 0, `"act":{"sub":"a","SUB":"b"}`, verifier.ErrMalformed, 0},
		{"DG2/may-act-string", 0, `"may_act":"a"`, verifier.ErrMalformed, 0},
		{"DG2/may-act-client-id-number", 0, `"may_act":{"client_id":7}`, verifier.ErrMalformed, 0},
		{"DG2/other-members", 0, `"act":{"sub":"a","email":["x"],"exp":"not checked"}`, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			v := hsVerifier(t, verifier.Config{MaxActorDepth: tt.max})
			tok := customToken(t, tt.extra)
			c, err := v.Verify(context.Background(), tok)
			if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if err != nil {
				var ve *verifier.ValidationError
				if !errors.As(err, &ve) || (ve.Claim != "act" && ve.Claim != "may_act" && ve.Claim != "claims") {
					t.Errorf("got %v, want it to name act or may_act", err)
				}
				if n := v.Stats().CacheEntries; n != 0 {
					t.Errorf("a refused token was cached (%d entries)", n)
				}
				return
			}
			if got := c.Actor.Depth(); got != tt.depth {
				t.Errorf("Actor.Depth: got %d, want %d", got, tt.depth)
			}
		})
	}
}

// TestActorFields: the members of act and may_act, unescaped; the chain in
// order; a nested act in may_act is not read.
func TestActorFields(t *testing.T) {
	v := hsVerifier(t, verifier.Config{})
	extra := `"act":{"sub":"agent\u002d1","client_id":"c1","act":{"sub":"user-tool","iss":"https://other/"}},` +
		`"may_act":{"sub":"admin@example.com","iss":"https://idp.example.com/","act":{"sub":"ignored"}}`
	c, err := v.Verify(context.Background(), customToken(t, extra))
	if err != nil {
		t.Fatal(err)
	}
	want := verifier.Actor{Subject: "agent-1", ClientID: "c1", Actor: &verifier.Actor{Subject: "user-tool", Issuer: "https://other/"}}
	if c.Actor == nil || c.Actor.Subject != want.Subject || c.Actor.ClientID != want.ClientID ||
		c.Actor.Actor == nil || *c.Actor.Actor != *want.Actor {
		t.Errorf("Actor: got %+v, want %+v (then %+v)", c.Actor, want, *want.Actor)
	}
	wantMay := verifier.Actor{Subject: "admin@example.com", Issuer: "https://idp.example.com/"}
	if c.MayAct == nil || *c.MayAct != wantMay {
		t.Errorf("MayAct: got %+v, want %+v", c.MayAct, wantMay)
	}
	raw, ok := c.Lookup("may_act")
	if !ok || !strings.Contains(string(raw), `"ignored"`) {
		t.Errorf("Lookup(may_act): got %s, %v; want the claim as sent", raw, ok)
	}
	if (*verifier.Actor)(nil).Depth() != 0 {
		t.Error("nil Actor: Depth is not 0")
	}
}

// TestActorDepthConfig (SECURITY.md DG3): MaxActorDepth outside [0, 31] is
// a configuration error.
func TestActorDepthConfig(t *testing.T) {
	for _, n := range []int{-1, 32, 1 << 30} {
		t.Run("DG3/"+strconv.Itoa(n), func(t *testing.T) {
			loadKeys()
			_, err := verifier.New(verifier.Config{Issuer: testIss, Audience: []string{testAud},
				Keys: set(key("h", "HS256", hmacKey)), Algorithms: []string{"HS256"}, MaxActorDepth: n})
			if !errors.Is(err, verifier.ErrConfig) {
				t.Fatalf("MaxActorDepth %d: got %v, want ErrConfig", n, err)
			}
		})
	}
}

// TestLookup: Lookup returns a top-level claim as sent, by its exact name
// after unescaping; the slice cannot be appended over the payload.
func TestLookup(t *testing.T) {
	v := hsVerifier(t, verifier.Config{})
	c, err := v.Verify(context.Background(), customToken(t,
		`"https:\/\/example.com\/tier":  "gold" ,"n":[1, 2],"urn:x:y":{"a":null}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		want string
		ok   bool
	}{
		{"https://example.com/tier", `"gold"`, true},
		{"n", `[1, 2]`, true},
		{"urn:x:y", `{"a":null}`, true},
		{"sub", `"auth0|alice"`, true},
		{"HTTPS://EXAMPLE.COM/TIER", ``, false},
		{"missing", ``, false},
		{"a", ``, false}, // nested members are not top-level claims
	}
	for _, tt := range tests {
		raw, ok := c.Lookup(tt.name)
		if string(raw) != tt.want || ok != tt.ok {
			t.Errorf("Lookup(%q): got %s, %v; want %s, %v", tt.name, raw, ok, tt.want, tt.ok)
		}
	}
	raw, _ := c.Lookup("https://example.com/tier")
	_ = append(raw, 'X')
	if again, _ := c.Lookup("n"); string(again) != `[1, 2]` {
		t.Errorf("after an append: Lookup(n) = %s", again)
	}
}
