package middleware_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/middleware"
)

// An API that requires DPoP-bound tokens (RFC 9449). The client holds a
// key; its token is bound to the key (cnf.jkt) and every request carries a
// fresh proof signed with it.
func ExampleWithDPoP() {
	tenant, v := exampleTenant()
	defer tenant.Close()
	proofs, err := dpop.New(dpop.Config{URL: "https://api.example.com"}) // the URL clients call: proofs must name it
	if err != nil {
		panic(err)
	}
	h := middleware.Authenticate(v, middleware.WithDPoP(proofs, middleware.DPoPRequired))(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c, _ := middleware.ClaimsFromContext(r.Context())
			fmt.Fprintf(w, "hello %s", c.Subject)
		}))

	key, err := authtest.NewDPoPKey("ES256") // the client's key
	if err != nil {
		panic(err)
	}
	token := tenant.BoundAccessToken(key, "auth0|alice", exampleAPI)
	send := func(scheme string, proof string) {
		r := httptest.NewRequest(http.MethodGet, "https://api.example.com/items", nil)
		r.Header.Set("Authorization", scheme+" "+token)
		if proof != "" {
			r.Header.Set("DPoP", proof)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if ch := w.Header().Get("WWW-Authenticate"); ch != "" {
			fmt.Println(w.Code, ch)
			return
		}
		fmt.Println(w.Code, w.Body.String())
	}
	proof, err := key.Proof(authtest.Proof{Method: "GET", URL: "https://api.example.com/items", AccessToken: token})
	if err != nil {
		panic(err)
	}
	send("DPoP", proof) // the token with a fresh proof
	send("DPoP", proof) // the same proof again: a replay
	send("Bearer", "")  // the token as a bearer token: it is bound
	// Output:
	// 200 hello auth0|alice
	// 401 DPoP realm="api", algs="ES256", error="invalid_dpop_proof", error_description="the DPoP proof was already used"
	// 401 DPoP realm="api", algs="ES256", error="invalid_token", error_description="this resource requires a DPoP-bound access token sent with the DPoP scheme"
}
