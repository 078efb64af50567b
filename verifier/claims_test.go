package verifier_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// Every field of Claims is filled from its claim.
func TestClaimsFields(t *testing.T) {
	loadKeys()
	v := newVerifier(t, verifier.Config{})
	p := `{"iss":"https://idp.example.com/","sub":"auth0|alice","aud":["api","https://idp.example.com/userinfo"],` +
		`"exp":1800003600.25,"iat":1799999940,"nbf":1799999900,"auth_time":1799999000,"azp":"client-1","client_id":"cid",` +
		`"jti":"j\u00e9-1","nonce":"n1","org_id":"org_1","org_name":"acme","scope":" openid  read:items write:items ",` +
		`"permissions":["read:items","delete:items"],"extra":{"a":[1,2]}}`
	c, err := v.Verify(context.Background(), rs(p)(t))
	if err != nil {
		t.Fatal(err)
	}
	want := verifier.Claims{
		Issuer: testIss, Subject: "auth0|alice", Audience: []string{"api", "https://idp.example.com/userinfo"},
		ExpiresAt: time.Unix(1800003600, 250_000_000).UTC(), IssuedAt: time.Unix(1799999940, 0).UTC(),
		NotBefore: time.Unix(1799999900, 0).UTC(), AuthTime: time.Unix(1799999000, 0).UTC(),
		AuthorizedParty: "client-1", ClientID: "cid", ID: "jé-1", Nonce: "n1", OrgID: "org_1", OrgName: "acme",
		Scope: []string{"openid", "read:items", "write:items"}, Permissions: []string{"read:items", "delete:items"},
	}
	got := *c
	for _, f := range []struct {
		name      string
		got, want any
	}{
		{"Issuer", got.Issuer, want.Issuer}, {"Subject", got.Subject, want.Subject},
		{"Audience", got.Audience, want.Audience}, {"ExpiresAt", got.ExpiresAt, want.ExpiresAt},
		{"IssuedAt", got.IssuedAt, want.IssuedAt}, {"NotBefore", got.NotBefore, want.NotBefore},
		{"AuthTime", got.AuthTime, want.AuthTime}, {"AuthorizedParty", got.AuthorizedParty, want.AuthorizedParty},
		{"ClientID", got.ClientID, want.ClientID}, {"ID", got.ID, want.ID}, {"Nonce", got.Nonce, want.Nonce},
		{"OrgID", got.OrgID, want.OrgID}, {"OrgName", got.OrgName, want.OrgName},
		{"Scope", got.Scope, want.Scope}, {"Permissions", got.Permissions, want.Permissions},
	} {
		if !reflect.DeepEqual(f.got, f.want) {
			t.Errorf("%s: got %#v, want %#v", f.name, f.got, f.want)
		}
	}
	if !c.HasScope("read:items") || c.HasScope("read") || c.HasScope("") {
		t.Errorf("HasScope: got %v/%v/%v, want true/false/false", c.HasScope("read:items"), c.HasScope("read"), c.HasScope(""))
	}
	if !c.HasPermission("delete:items") || c.HasPermission("write:items") {
		t.Errorf("HasPermission: got %v/%v, want true/false", c.HasPermission("delete:items"), c.HasPermission("write:items"))
	}
	if string(c.Raw()) != p {
		t.Errorf("Raw: got %s, want the payload", c.Raw())
	}
	// Raw is a copy: writing to it changes nothing for the next caller.
	r := c.Raw()
	r[0] = 'X'
	if c.Raw()[0] != '{' {
		t.Error("Raw returned the shared payload, want a copy")
	}
}

// Decode: custom claims with encoding/json, refusing names that match a
// field only when case is ignored.
func TestClaimsDecode(t *testing.T) {
	loadKeys()
	v := newVerifier(t, verifier.Config{})
	type Inner struct {
		Level int `json:"level"`
	}
	type Custom struct {
		Role   string            `json:"role"`
		Tags   []string          `json:"https://example.com/tags"`
		Inner  Inner             `json:"inner"`
		List   []Inner           `json:"list"`
		Map    map[string]Inner  `json:"map"`
		Plain  string            // no tag: matched by the Go name
		Skip   string            `json:"-"`
		Others map[string]string `json:"others,omitempty"`
	}
	tests := []struct {
		id    string
		extra string
		want  Custom
		ok    bool
	}{
		{"exact", `"role":"admin","https://example.com/tags":["a","b"],"inner":{"level":3},"Plain":"p"`,
			Custom{Role: "admin", Tags: []string{"a", "b"}, Inner: Inner{Level: 3}, Plain: "p"}, true},
		{"nested-list", `"list":[{"level":1},{"level":2}]`, Custom{List: []Inner{{1}, {2}}}, true},
		{"map", `"map":{"x":{"level":1}}`, Custom{Map: map[string]Inner{"x": {1}}}, true},
		{"unknown-members-ignored", `"ROLEX":"x","whatever":{"Role":1}`, Custom{}, true},
		{"D2/case-folded-top", `"Role":"admin"`, Custom{}, false},
		{"D2/case-folded-upper", `"ROLE":"admin"`, Custom{}, false},
		{"D2/case-folded-nested", `"inner":{"LEVEL":3}`, Custom{}, false},
		{"D2/case-folded-in-list", `"list":[{"level":1},{"Level":2}]`, Custom{}, false},
		{"D2/case-folded-in-map", `"map":{"x":{"LeVeL":1}}`, Custom{}, false},
		{"D2/case-folded-untagged", `"plain":"p"`, Custom{}, false},
		{"type-mismatch", `"role":1`, Custom{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			c, err := v.Verify(context.Background(), rs(payload(tc.extra))(t))
			if err != nil {
				t.Fatal(err)
			}
			var got Custom
			err = c.Decode(&got)
			if !tc.ok {
				if err == nil {
					t.Fatalf("got %+v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
	t.Run("nil", func(t *testing.T) {
		c, err := v.Verify(context.Background(), rs(claims(nil))(t))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Decode(nil); err == nil {
			t.Error("Decode(nil): got nil, want an error")
		}
		var m map[string]any
		if err := c.Decode(&m); err != nil || m["sub"] != "auth0|alice" {
			t.Errorf("Decode(map): got %v, %v; want sub auth0|alice", m, err)
		}
	})
}

// VerifySignature applies the header policy and the signature only.
func TestVerifySignature(t *testing.T) {
	loadKeys()
	v := newVerifier(t, verifier.Config{MaxTokenSize: 2000})
	expired := payload(`"exp":1`, "exp")
	tests := []struct {
		id   string
		tok  func(testing.TB) string
		want error
	}{
		{"expired-ok", rs(expired), nil},
		{"foreign-issuer-ok", rs(`{"iss":"https://other/"}`), nil},
		{"T8/bad-signature", badSig(expired), errSig},
		{"N2/none", raw(parts(`{"alg":"none"}`, expired, "c2ln")), errAlg},
		{"D1/duplicate-alg", rsHeader(`{"alg":"RS256","alg":"RS256","kid":"k1"}`, expired), errMalformed},
		{"KD5/unknown-kid", signed("RS256", rsaPriv, hdr("RS256", "K1"), expired), errKid},
		{"Z2/over-max", rs(payload(`"x":"` + strings.Repeat("a", 2000) + `"`)), errMalformed},
		{"B3/non-canonical", func(t testing.TB) string {
			tok := rs(expired)(t)
			i := strings.LastIndexByte(tok, '.')
			nc, _ := nonCanonical(tok[i+1:])
			return tok[:i+1] + nc
		}, errMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			tok := tc.tok(t)
			got, err := v.VerifySignature(context.Background(), tok)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("got %v, want the payload", err)
				}
				if p := strings.Split(tok, ".")[1]; b64(got) != p {
					t.Errorf("got payload %s, want the token's", got)
				}
				return
			}
			if got != nil || !errors.Is(err, tc.want) {
				t.Fatalf("got %q, %v; want nil, %v", got, err, tc.want)
			}
		})
	}
}
