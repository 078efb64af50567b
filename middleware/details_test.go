package middleware_test

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// payment is an RFC 9396 payment_initiation detail.
type payment struct {
	Actions          []string `json:"actions"`
	InstructedAmount struct {
		Currency string `json:"currency"`
		Amount   string `json:"amount"`
	} `json:"instructedAmount"`
	DebtorAccount struct {
		ID string `json:"id"`
	} `json:"debtorAccount"`
}

const bodyDetails = `{"error":"access_denied","error_description":"the access token's authorization details are insufficient for this request"}` + "\n"

func paymentDetail(account, amount string, actions ...string) map[string]any {
	return map[string]any{"type": "payment_initiation", "actions": actions,
		"instructedAmount": map[string]string{"currency": "EUR", "amount": amount},
		"debtorAccount":    map[string]string{"id": account}}
}

// allowsPayment is the route's predicate: the detail covers the account in
// the path, the initiate action, and at most 100.00 EUR.
func allowsPayment(r *http.Request, p *payment) bool {
	amount, err := strconv.ParseFloat(p.InstructedAmount.Amount, 64)
	return err == nil && p.DebtorAccount.ID == r.PathValue("account") && p.InstructedAmount.Currency == "EUR" &&
		amount > 0 && amount <= 100 && contains2(p.Actions, "initiate")
}

func contains2(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func detailsTyped(t testing.TB, v *verifier.Verifier) *verifier.Typed[struct{}] {
	t.Helper()
	tv, err := verifier.NewTyped(v, verifier.TypedConfig[struct{}]{AuthorizationDetails: []verifier.DetailType{
		verifier.DetailOf[payment]("payment_initiation")}})
	if err != nil {
		t.Fatal(err)
	}
	return tv
}

// TestDetailCheck (SECURITY.md RA5): a payment route passes a token whose
// payment_initiation detail covers the path's account, the action and the
// amount; any other token is refused with the one claim-rule refusal (403
// access_denied, no challenge); a malformed or unknown detail is an invalid
// token (401).
func TestDetailCheck(t *testing.T) {
	v := newVerifier(t, nil)
	tv := detailsTyped(t, v)
	var obs events
	rule := middleware.RequireClaims(middleware.DetailCheck("payment_initiation", allowsPayment))
	routes := []route{
		{http.MethodPost, "/accounts/{account}/payments", []mw{middleware.AuthenticateTyped(tv, middleware.WithObserver(&obs)), rule}},
		{http.MethodPost, "/plain/{account}/payments", []mw{middleware.Authenticate(v), rule}},
		{http.MethodPost, "/described/{account}/payments", []mw{middleware.AuthenticateTyped(tv), middleware.RequireClaims(
			middleware.DetailCheck("payment_initiation", allowsPayment).WithDescription("payment not authorized"))}},
	}
	details := func(ds ...any) map[string]any { return map[string]any{"authorization_details": append([]any{}, ds...)} }
	ok := want{status: 200, body: "sub=auth0|alice"}
	denied := want{status: 403, body: bodyDetails}
	cases := []struct {
		name, path string
		over       map[string]any
		want       want
	}{
		{"RA5/allowed", "/accounts/acc_1/payments", details(paymentDetail("acc_1", "99.99", "initiate", "status")), ok},
		{"RA5/second detail allows", "/accounts/acc_1/payments", details(paymentDetail("acc_2", "10", "initiate"), paymentDetail("acc_1", "10", "initiate")), ok},
		{"RA5/other account", "/accounts/acc_2/payments", details(paymentDetail("acc_1", "10", "initiate")), denied},
		{"RA5/account prefix", "/accounts/acc_/payments", details(paymentDetail("acc_1", "10", "initiate")), denied},
		{"RA5/amount over limit", "/accounts/acc_1/payments", details(paymentDetail("acc_1", "100.01", "initiate")), denied},
		{"RA5/amount negative", "/accounts/acc_1/payments", details(paymentDetail("acc_1", "-5", "initiate")), denied},
		{"RA5/amount not a number", "/accounts/acc_1/payments", details(paymentDetail("acc_1", "NaN", "initiate")), denied},
		{"RA5/action missing", "/accounts/acc_1/payments", details(paymentDetail("acc_1", "10", "status")), denied},
		{"RA5/no details", "/accounts/acc_1/payments", nil, denied},
		{"RA5/empty details", "/accounts/acc_1/payments", details(), denied},
		{"RA5/without AuthenticateTyped", "/plain/acc_1/payments", details(paymentDetail("acc_1", "10", "initiate")), denied},
		{"RA5/own description", "/described/acc_2/payments", details(paymentDetail("acc_1", "10", "initiate")),
			want{status: 403, body: `{"error":"access_denied","error_description":"payment not authorized"}` + "\n"}},
		{"RA2/unknown type", "/accounts/acc_1/payments", details(paymentDetail("acc_1", "10", "initiate"), map[string]any{"type": "account_information"}),
			want{status: 401, challenge: chToken(descMalformed), body: bodyToken(descMalformed)}},
		{"RA1/null", "/accounts/acc_1/payments", map[string]any{"authorization_details": []any(nil)},
			want{status: 401, challenge: chToken(descMalformed), body: bodyToken(descMalformed)}},
		{"RA1/not an array", "/accounts/acc_1/payments", map[string]any{"authorization_details": paymentDetail("acc_1", "10", "initiate")},
			want{status: 401, challenge: chToken(descMalformed), body: bodyToken(descMalformed)}},
		{"RA3/wrong member type", "/accounts/acc_1/payments", details(map[string]any{"type": "payment_initiation", "actions": "initiate"}),
			want{status: 401, challenge: chToken(descMalformed), body: bodyToken(descMalformed)}},
	}
	for _, rt := range routers {
		srv := server(t, rt.serve(routes...))
		for _, tc := range cases {
			t.Run(rt.name+"/"+tc.name, func(t *testing.T) {
				resp, body := call(t, srv, http.MethodPost, tc.path, bearer(token(t, tc.over)))
				checkResponse(t, resp, body, tc.want)
			})
		}
	}
	for _, ev := range obs.take() {
		if ev.Status == 403 && ev.Outcome != middleware.OutcomeClaimDenied {
			t.Errorf("403 reported as %q, want %q", ev.Outcome, middleware.OutcomeClaimDenied)
		}
	}
}

func TestDetailCheckPanic(t *testing.T) {
	v := newVerifier(t, nil)
	var got *middleware.Error
	h := middleware.AuthenticateTyped(detailsTyped(t, v), middleware.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, e *middleware.Error) {
		got = e
		e.WriteResponse(w)
	}))(middleware.RequireClaims(middleware.DetailCheck("payment_initiation", func(*http.Request, *payment) bool { panic("boom") }))(echo))
	mux := http.NewServeMux()
	mux.Handle("POST /accounts/{account}/payments", h)
	srv := server(t, mux)
	resp, body := call(t, srv, http.MethodPost, "/accounts/acc_1/payments",
		bearer(token(t, map[string]any{"authorization_details": []any{paymentDetail("acc_1", "1", "initiate")}})))
	checkResponse(t, resp, body, want{status: 403, body: bodyDetails})
	if got == nil || !errors.Is(got.Err, hook.ErrPanic) {
		t.Errorf("Error.Err: got %v, want hook.ErrPanic", got)
	}
}

func TestDetailsFromContext(t *testing.T) {
	v := newVerifier(t, nil)
	tv := detailsTyped(t, v)
	show := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ds, ok := middleware.DetailsFromContext(r.Context())
		fmt.Fprintf(w, "%v %d", ok, len(ds))
		for p := range verifier.DetailsOf[payment](ds, "payment_initiation") {
			fmt.Fprintf(w, " %s:%s", p.DebtorAccount.ID, p.InstructedAmount.Amount)
		}
	})
	mux := http.NewServeMux()
	mux.Handle("/typed", middleware.AuthenticateTyped(tv)(show))
	mux.Handle("/plain", middleware.Authenticate(v)(show))
	mux.Handle("/anon", middleware.Authenticate(v, middleware.CredentialsOptional())(show))
	srv := server(t, mux)
	tok := token(t, map[string]any{"authorization_details": []any{paymentDetail("acc_1", "12.00", "initiate")}})
	for _, tc := range []struct{ path, header, want string }{
		{"/typed", tok, "true 1 acc_1:12.00"},
		{"/plain", tok, "false 0"},
		{"/anon", "", "false 0"},
	} {
		h := bearer(tc.header)
		if tc.header == "" {
			h = nil
		}
		_, body := call(t, srv, http.MethodGet, tc.path, h)
		if body != tc.want {
			t.Errorf("%s: got %q, want %q", tc.path, body, tc.want)
		}
	}
}

func TestDetailCheckMisuse(t *testing.T) {
	for name, build := range map[string]func(){
		"RA7/empty type": func() { middleware.DetailCheck("", allowsPayment) },
		"RA7/nil check":  func() { middleware.DetailCheck[payment]("payment_initiation", nil) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			build()
		})
	}
}
