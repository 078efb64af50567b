package logout_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"

	"github.com/tokengate/tokengate/authtest"
	"github.com/tokengate/tokengate/logout"
	"github.com/tokengate/tokengate/verifier"
)

// A back-channel logout endpoint that ends the user's sessions and makes
// the API refuse the access tokens issued before the logout.
func ExampleNew() {
	// The application's address, registered at the tenant as its
	// Back-Channel Logout URI.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	tenant, err := authtest.NewTenant(authtest.Config{
		Clients: []authtest.Client{{ID: "app", BackChannelLogoutURI: "http://" + ln.Addr().String() + "/backchannel-logout"}},
	})
	if err != nil {
		panic(err)
	}
	defer tenant.Close()

	// One revocation set, shared by the API's verifier and the endpoint.
	revoked, _ := verifier.NewMemoryRevocationSet(verifier.MemoryRevocationConfig{})
	api, _ := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{"https://api.example.com"},
		Keys: tenant, Revocations: revoked})
	logoutTokens, _ := verifier.New(verifier.Config{Issuer: tenant.Issuer(), Audience: []string{"app"},
		Keys: tenant, Kind: verifier.LogoutToken})
	h, err := logout.New(logout.Config{
		Verifier:    logoutTokens,
		Revocations: revoked,
		OnLogout: func(ctx context.Context, sub, sid string) error {
			fmt.Printf("ending the sessions of %s\n", sub)
			return nil
		},
	})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /backchannel-logout", h)
	srv := httptest.NewUnstartedServer(mux)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	defer srv.Close()

	token := tenant.AccessToken("auth0|alice", "https://api.example.com")
	_, err = api.Verify(context.Background(), token)
	fmt.Println("before:", err)
	// The tenant's clock ticks in seconds: a token of the logout's second is refused too.
	if err := tenant.BackChannelLogout(context.Background(), authtest.Logout{Subject: "auth0|alice"}); err != nil {
		panic(err)
	}
	_, err = api.Verify(context.Background(), token)
	fmt.Println("after:", errors.Is(err, verifier.ErrRevoked))
	// Output:
	// before: <nil>
	// ending the sessions of auth0|alice
	// after: true
}
