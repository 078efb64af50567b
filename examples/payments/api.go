package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/tokengate/tokengate/middleware"
	"github.com/tokengate/tokengate/verifier"
)

// PaymentInitiation is the payment_initiation detail of RFC 9396 section
// 2 (as the Berlin Group and UK Open Banking shape it): what the user
// agreed to pay, from which account, to whom.
type PaymentInitiation struct {
	Actions          []string `json:"actions"`
	Locations        []string `json:"locations"`
	InstructedAmount struct {
		Currency string `json:"currency"`
		Amount   string `json:"amount"` // a decimal string, as RFC 9396's examples write it
	} `json:"instructedAmount"`
	CreditorName    string `json:"creditorName"`
	CreditorAccount struct {
		IBAN string `json:"iban"`
	} `json:"creditorAccount"`
	DebtorAccount struct {
		IBAN string `json:"iban"`
	} `json:"debtorAccount"`
}

// maxAmount is the most this API initiates in one payment, in cents.
const maxAmount = 10_000_00

// newAPI returns the payment API's handler.
func newAPI(v *verifier.Verifier) (http.Handler, error) {
	// authorization_details is decoded once per token into the registered
	// types; a token with a detail of another type, or a malformed one, is
	// invalid.
	tv, err := verifier.NewTyped(v, verifier.TypedConfig[struct{}]{
		AuthorizationDetails: []verifier.DetailType{verifier.DetailOf[PaymentInitiation]("payment_initiation")},
	})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("POST /accounts/{account}/payments", middleware.AuthenticateTyped(tv)(
		middleware.RequireStepUp(middleware.StepUpMFA(), middleware.StepUpMaxAge(5*time.Minute))(
			middleware.RequireClaims(middleware.DetailCheck("payment_initiation", coversPayment))(
				http.HandlerFunc(initiate)))))
	return mux, nil
}

// coversPayment is the route's check of a granted detail against the
// request: the account in the path, the initiate action, the amount.
func coversPayment(r *http.Request, p *PaymentInitiation) bool {
	cents, ok := parseAmount(p.InstructedAmount.Amount)
	return p.DebtorAccount.IBAN == r.PathValue("account") &&
		slices.Contains(p.Actions, "initiate") &&
		p.InstructedAmount.Currency == "EUR" && ok && cents > 0 && cents <= maxAmount
}

// parseAmount reads a decimal amount with at most two decimals ("123.5",
// "10000.00") as cents; anything else (exponents, signs, more decimals,
// more than 12 digits) is refused.
func parseAmount(s string) (int64, bool) {
	whole, frac := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			whole, frac = s[:i], s[i+1:]
			break
		}
	}
	if whole == "" || len(whole) > 12 || len(frac) > 2 || (len(frac) == 0 && len(whole) < len(s)) {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	for _, part := range []string{whole, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return 0, false
			}
		}
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	return n, err == nil
}

// initiate answers with the payment the token's detail describes (here
// it would be sent to the payment system).
func initiate(w http.ResponseWriter, r *http.Request) {
	ds, _ := middleware.DetailsFromContext(r.Context())
	for p := range verifier.DetailsOf[PaymentInitiation](ds, "payment_initiation") {
		if coversPayment(r, p) {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]string{"status": "initiated", "from": p.DebtorAccount.IBAN,
				"to": p.CreditorAccount.IBAN, "amount": p.InstructedAmount.Amount + " " + p.InstructedAmount.Currency})
			return
		}
	}
	http.Error(w, "no detail covers the payment", http.StatusForbidden) // DetailCheck let it through: not reached
}
