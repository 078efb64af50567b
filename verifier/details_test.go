package verifier_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// Types of the authorization details tests (RFC 9396 section 2 examples).
type (
	rarPayment struct {
		Type             string   `json:"type"`
		Actions          []string `json:"actions"`
		Locations        []string `json:"locations"`
		InstructedAmount struct {
			Currency string      `json:"currency"`
			Amount   json.Number `json:"amount"`
		} `json:"instructedAmount"`
		CreditorName    string `json:"creditorName"`
		CreditorAccount struct {
			IBAN string `json:"iban"`
		} `json:"creditorAccount"`
	}
	rarAccount struct {
		Actions  []string `json:"actions"`
		Accounts []string `json:"accounts"`
	}
)

const rarPaymentJSON = `{"type":"payment_initiation","actions":["initiate","status","cancel"],` +
	`"locations":["https://example.com/payments"],"instructedAmount":{"currency":"EUR","amount":"123.50"},` +
	`"creditorName":"Merchant A","creditorAccount":{"iban":"DE02100100109307118603"}}`

const rarAccountJSON = `{"type":"account_information","actions":["list_accounts"],"accounts":["acc_1","acc_2"]}`

func rarTyped(t testing.TB, keep bool) *verifier.Typed[struct{}] {
	t.Helper()
	return mustTyped(t, hsVerifier(t, verifier.Config{}), verifier.TypedConfig[struct{}]{
		AuthorizationDetails: []verifier.DetailType{
			verifier.DetailOf[rarPayment]("payment_initiation"),
			verifier.DetailOf[rarAccount]("account_information"),
		},
		KeepUnknownDetails: keep,
	})
}

func TestRARDecode(t *testing.T) {
	tv := rarTyped(t, false)
	tok := customToken(t, `"authorization_details":[`+rarPaymentJSON+`,`+rarAccountJSON+`]`)
	for i := range 2 { // a miss, then a cache hit
		c, _, err := tv.Verify(context.Background(), tok)
		if err != nil {
			t.Fatalf("call %d: Verify: %v", i, err)
		}
		ds := tv.Details(c)
		if len(ds) != 2 {
			t.Fatalf("call %d: got %d details, want 2", i, len(ds))
		}
		p, ok := ds[0].Value.(*rarPayment)
		if !ok || ds[0].Type != "payment_initiation" {
			t.Fatalf("call %d: details[0] = %q %T, want payment_initiation *rarPayment", i, ds[0].Type, ds[0].Value)
		}
		if p.Type != "payment_initiation" || p.InstructedAmount.Amount != "123.50" || p.CreditorAccount.IBAN != "DE02100100109307118603" || len(p.Actions) != 3 {
			t.Errorf("call %d: got %+v", i, *p)
		}
		a, ok := ds[1].Value.(*rarAccount)
		if !ok || len(a.Accounts) != 2 || a.Accounts[1] != "acc_2" {
			t.Errorf("call %d: details[1] = %#v", i, ds[1].Value)
		}
		var n int
		for range verifier.DetailsOf[rarPayment](ds, "payment_initiation") {
			n++
		}
		for range verifier.DetailsOf[rarPayment](ds, "account_information") { // wrong Go type: none
			n += 10
		}
		if n != 1 {
			t.Errorf("call %d: DetailsOf found %d, want 1", i, n)
		}
	}

	t.Run("absent", func(t *testing.T) {
		c, _, err := tv.Verify(context.Background(), customToken(t, `"x":1`))
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if ds := tv.Details(c); ds != nil {
			t.Errorf("got %v, want nil", ds)
		}
	})
	t.Run("empty array", func(t *testing.T) {
		c, _, err := tv.Verify(context.Background(), customToken(t, `"authorization_details":[]`))
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if ds := tv.Details(c); len(ds) != 0 {
			t.Errorf("got %v, want none", ds)
		}
	})
	t.Run("many members", func(t *testing.T) {
		// More members than the index of skipped members holds, and an
		// escaped name: the claim is read from the whole payload.
		var extra strings.Builder
		for i := range 20 {
			fmt.Fprintf(&extra, `"m%d":%d,`, i, i)
		}
		for _, members := range []string{
			extra.String() + `"authorization_details":[` + rarAccountJSON + `]`,
			`"\u0078":1,"authorization_details":[` + rarAccountJSON + `]`,
		} {
			c, _, err := tv.Verify(context.Background(), customToken(t, members))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if ds := tv.Details(c); len(ds) != 1 || ds[0].Type != "account_information" {
				t.Errorf("got %v", ds)
			}
			if _, _, err := tv.Verify(context.Background(), customToken(t, members+`,"Authorization_details":[]`)); !errors.Is(err, verifier.ErrMalformed) {
				t.Errorf("claim by case among many: got %v, want ErrMalformed", err)
			}
		}
	})
	t.Run("other Typed", func(t *testing.T) {
		other := rarTyped(t, false)
		c, _, err := tv.Verify(context.Background(), customToken(t, `"authorization_details":[`+rarAccountJSON+`]`))
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if ds := other.Details(c); ds != nil {
			t.Errorf("Details of claims another Typed verified: got %v, want nil", ds)
		}
	})
}

// TestRARRefusals covers every way the claim is refused: RA1 malformed,
// RA2 of an unknown type, RA3 not fitting its Go type.
func TestRARRefusals(t *testing.T) {
	cases := []struct {
		name, members string
		keep          bool
	}{
		{"RA1/not an array", `"authorization_details":` + rarPaymentJSON, false},
		{"RA1/string", `"authorization_details":"payment_initiation"`, false},
		{"RA1/null", `"authorization_details":null`, false},
		{"RA1/element not an object", `"authorization_details":["payment_initiation"]`, false},
		{"RA1/element null", `"authorization_details":[null]`, true},
		{"RA1/element array", `"authorization_details":[[` + rarAccountJSON + `]]`, true},
		{"RA1/type missing", `"authorization_details":[{"actions":["read"]}]`, true},
		{"RA1/type number", `"authorization_details":[{"type":1}]`, true},
		{"RA1/type null", `"authorization_details":[{"type":null}]`, true},
		{"RA1/type array", `"authorization_details":[{"type":["payment_initiation"]}]`, true},
		{"RA1/type empty", `"authorization_details":[{"type":""}]`, true},
		{"RA1/duplicate type", `"authorization_details":[{"type":"account_information","type":"payment_initiation"}]`, true},
		{"RA1/duplicate type by escape", `"authorization_details":[{"type":"account_information","typ\u0065":"x"}]`, true},
		{"RA1/duplicate member", `"authorization_details":[{"type":"account_information","accounts":["a"],"accounts":["b"]}]`, false},
		{"RA1/duplicate claim", `"authorization_details":[],"authorization_details":[` + rarAccountJSON + `]`, false},
		{"RA1/claim by case", `"Authorization_Details":[` + rarAccountJSON + `]`, false},
		{"RA1/second element bad", `"authorization_details":[` + rarAccountJSON + `,3]`, true},
		{"RA2/unknown type", `"authorization_details":[{"type":"customer_information"}]`, false},
		{"RA2/type by case", `"authorization_details":[{"type":"Payment_Initiation"}]`, false},
		{"RA2/unknown after known", `"authorization_details":[` + rarAccountJSON + `,{"type":"x"}]`, false},
		{"RA3/wrong member type", `"authorization_details":[{"type":"account_information","accounts":"acc_1"}]`, false},
		{"RA3/amount a number where a string", `"authorization_details":[{"type":"payment_initiation","instructedAmount":{"currency":1}}]`, false},
		{"RA3/member by case", `"authorization_details":[{"type":"account_information","ACCOUNTS":["acc_1"]}]`, false},
		{"RA3/nested duplicate", `"authorization_details":[{"type":"payment_initiation","creditorAccount":{"iban":"a","iban":"b"}}]`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tv := rarTyped(t, tc.keep)
			tok := customToken(t, tc.members)
			for i := range 2 { // refused every time, never cached as good
				c, custom, err := tv.Verify(context.Background(), tok)
				if !errors.Is(err, verifier.ErrMalformed) {
					t.Fatalf("call %d: got %v, want ErrMalformed", i, err)
				}
				if c != nil || custom != nil {
					t.Fatalf("call %d: claims returned with an error", i)
				}
				if strings.Contains(err.Error(), "DE021001") || strings.Contains(err.Error(), "acc_1") {
					t.Errorf("call %d: message quotes a value: %v", i, err)
				}
			}
		})
	}
}

func TestRA2KeepUnknownDetails(t *testing.T) {
	tv := rarTyped(t, true)
	unknown := `{"type":"customer_information","locations":["https://example.com/customers"],"actions":["read"]}`
	c, _, err := tv.Verify(context.Background(), customToken(t, `"authorization_details":[`+unknown+`,`+rarAccountJSON+`]`))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	ds := tv.Details(c)
	if len(ds) != 2 {
		t.Fatalf("got %d details, want 2", len(ds))
	}
	raw, ok := ds[0].Value.(json.RawMessage)
	if !ok || ds[0].Type != "customer_information" || string(raw) != unknown {
		t.Errorf("got %q %T %s, want customer_information json.RawMessage %s", ds[0].Type, ds[0].Value, raw, unknown)
	}
	if _, ok := ds[1].Value.(*rarAccount); !ok {
		t.Errorf("details[1] = %T, want *rarAccount", ds[1].Value)
	}

	t.Run("only unknown kept", func(t *testing.T) {
		v := hsVerifier(t, verifier.Config{})
		tv := mustTyped(t, v, verifier.TypedConfig[struct{}]{KeepUnknownDetails: true})
		c, _, err := tv.Verify(context.Background(), customToken(t, `"authorization_details":[`+rarAccountJSON+`]`))
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if ds := tv.Details(c); len(ds) != 1 || ds[0].Type != "account_information" {
			t.Errorf("got %v", ds)
		}
	})
	t.Run("not asked for", func(t *testing.T) {
		// Without AuthorizationDetails the claim is not decoded at all (as
		// before this feature): a malformed one is not looked at.
		tv := mustTyped(t, hsVerifier(t, verifier.Config{}), verifier.TypedConfig[struct{}]{})
		c, _, err := tv.Verify(context.Background(), customToken(t, `"authorization_details":7`))
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if ds := tv.Details(c); ds != nil {
			t.Errorf("got %v, want nil", ds)
		}
	})
}

func TestRA4DetailsDecodedOncePerCachedToken(t *testing.T) {
	tv := rarTyped(t, false)
	tok := customToken(t, `"authorization_details":[`+rarPaymentJSON+`]`)
	c1, _, err := tv.Verify(context.Background(), tok)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	c2, _, err := tv.Verify(context.Background(), tok)
	if err != nil {
		t.Fatalf("Verify (hit): %v", err)
	}
	p1 := tv.Details(c1)[0].Value.(*rarPayment)
	p2 := tv.Details(c2)[0].Value.(*rarPayment)
	if p1 != p2 {
		t.Errorf("cache hit decoded again: got two values, want one shared")
	}

	t.Run("no cache", func(t *testing.T) {
		v := hsVerifier(t, verifier.Config{CacheSize: -1})
		tv := mustTyped(t, v, verifier.TypedConfig[struct{}]{AuthorizationDetails: []verifier.DetailType{verifier.DetailOf[rarPayment]("payment_initiation")}})
		c, _, err := tv.Verify(context.Background(), tok)
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if ds := tv.Details(c); len(ds) != 1 {
			t.Errorf("without a cache: got %d details, want 1", len(ds))
		}
	})
}

func TestRA7DetailConfig(t *testing.T) {
	v := hsVerifier(t, verifier.Config{})
	cases := []struct {
		name  string
		types []verifier.DetailType
	}{
		{"RA7/empty type value", []verifier.DetailType{verifier.DetailOf[rarAccount]("")}},
		{"RA7/zero DetailType", []verifier.DetailType{{}}},
		{"RA7/registered twice", []verifier.DetailType{verifier.DetailOf[rarAccount]("a"), verifier.DetailOf[rarPayment]("a")}},
		{"RA7/not an object type", []verifier.DetailType{verifier.DetailOf[[]string]("a")}},
		{"RA7/unsupported field", []verifier.DetailType{verifier.DetailOf[struct {
			C chan int `json:"c"`
		}]("a")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := verifier.NewTyped(v, verifier.TypedConfig[struct{}]{AuthorizationDetails: tc.types})
			if !errors.Is(err, verifier.ErrConfig) {
				t.Errorf("got %v, want ErrConfig", err)
			}
		})
	}
}

// FuzzRA6DetailsDecode feeds the authorization_details decoder arbitrary
// claim values. Property: it never panics; a refusal is ErrMalformed; what
// it accepts is an array of objects with a non-empty string type, each
// element of a registered type decodes with encoding/json to the same value,
// and each kept one is the element's JSON text.
func FuzzRA6DetailsDecode(f *testing.F) {
	for _, s := range []string{
		`[]`, `[` + rarAccountJSON + `]`, `[{"type":"x","a":[1,{"b":null}]}]`, `[{"type":"account_information","accounts":[]}]`,
		`[{"type":"account_information","accounts":null}]`, `[{"type":"account_information","Accounts":["a"]}]`,
		`[{"type":"\u0061ccount_information"}]`, `[{"type":"t","type":"u"}]`, `{}`, `[1]`, `[{"type":7}]`, `null`,
		`[{"actions":["a"],"type":"account_information"}]`, `[{"type":"account_information","actions":["\ud800"]}]`,
	} {
		f.Add(s)
	}
	v := hsVerifier(f, verifier.Config{CacheSize: -1})
	tv, err := verifier.NewTyped(v, verifier.TypedConfig[struct{}]{
		AuthorizationDetails: []verifier.DetailType{verifier.DetailOf[rarAccount]("account_information")},
		KeepUnknownDetails:   true,
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, value string) {
		tok := sign(t, "HS256", hmacKey, hdr("HS256", "h"), payload(`"authorization_details":`+value))
		c, _, err := tv.Verify(context.Background(), tok)
		if err != nil {
			if !errors.Is(err, verifier.ErrMalformed) {
				t.Fatalf("refusal %v is not ErrMalformed", err)
			}
			return
		}
		var elems []map[string]json.RawMessage
		if err := json.Unmarshal([]byte(value), &elems); err != nil || elems == nil {
			t.Fatalf("accepted %q, which is not an array of objects for encoding/json: %v", value, err)
		}
		ds := tv.Details(c)
		if len(ds) != len(elems) {
			t.Fatalf("got %d details, want %d", len(ds), len(elems))
		}
		var raws []json.RawMessage
		if err := json.Unmarshal([]byte(value), &raws); err != nil {
			t.Fatal(err)
		}
		for i, d := range ds {
			var typ string
			if err := json.Unmarshal(elems[i]["type"], &typ); err != nil || typ == "" || typ != d.Type {
				t.Fatalf("element %d: type %q, encoding/json reads %s (%v)", i, d.Type, elems[i]["type"], err)
			}
			switch val := d.Value.(type) {
			case *rarAccount:
				var want rarAccount
				if err := json.Unmarshal(raws[i], &want); err != nil {
					t.Fatalf("element %d accepted, encoding/json refuses it: %v", i, err)
				}
				got, _ := json.Marshal(val)
				w, _ := json.Marshal(want)
				if string(got) != string(w) {
					t.Fatalf("element %d: got %s, encoding/json %s", i, got, w)
				}
			case json.RawMessage:
				if d.Type == "account_information" {
					t.Fatalf("element %d of a registered type kept raw", i)
				}
				if !jsonEqual(val, raws[i]) {
					t.Fatalf("element %d: kept %s, want %s", i, val, raws[i])
				}
			default:
				t.Fatalf("element %d: value %T", i, d.Value)
			}
		}
	})
}

// jsonEqual reports whether a and b are the same JSON text but for the
// white space around it.
func jsonEqual(a, b []byte) bool {
	return strings.TrimSpace(string(a)) == strings.TrimSpace(string(b))
}
