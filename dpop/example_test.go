package dpop_test

import (
	"context"
	"fmt"
	"time"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/dpop"
)

// Verify checks a proof against the request and the token it carries (the
// token's cnf.jkt comes from verifier.Claims.Confirmation once the token
// verified with verifier.WithBindings(verifier.BindingDPoP)). Each proof
// passes once.
func ExampleVerifier_Verify() {
	v, err := dpop.New(dpop.Config{}) // ES256, ±60 s, in-memory replay store
	if err != nil {
		panic(err)
	}
	key, err := authtest.NewDPoPKey("ES256") // the client's key
	if err != nil {
		panic(err)
	}
	const token = "the.access.token"
	proof, err := key.Proof(authtest.Proof{Method: "GET", URL: "https://api.example.com/items", AccessToken: token, IssuedAt: time.Now()})
	if err != nil {
		panic(err)
	}
	req := dpop.Request{Method: "GET", URL: "https://api.example.com/items?page=2", AccessToken: token, JKT: key.JKT()}
	p, err := v.Verify(context.Background(), proof, req)
	fmt.Println(p.JKT == key.JKT(), err)
	_, err = v.Verify(context.Background(), proof, req)
	fmt.Println(dpop.Reason(err))
	req.Method = "POST"
	_, err = v.Verify(context.Background(), proof, req)
	fmt.Println(dpop.Reason(err))
	// Output:
	// true <nil>
	// dpop_replay
	// dpop_htm
}
