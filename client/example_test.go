package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/authentication"
	"github.com/tokengate/tokengate/client/management"
)

// A non-2xx answer is a *client.Error, with the code and message parsed as
// the Auth0 SDKs do.
func ExampleError() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"statusCode":404,"error":"Not Found","message":"The user does not exist.","errorCode":"inexistent_user"}`)
	}))
	defer srv.Close()

	m, err := management.New(srv.URL, management.Config{Token: "my-management-token"})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = m.Users.Get(context.Background(), "auth0|nobody", nil)
	var apiErr *client.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code)
	}
	fmt.Println(err)
	// Output:
	// 404 inexistent_user
	// auth0: 404 inexistent_user: The user does not exist.
}

// A 429 is retried after Retry-After (capped by Config.MaxWait); when the
// retries run out the error is a *client.RateLimitError.
func ExampleRateLimitError() {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Header().Set("Retry-After", "1")
		w.Header().Set("X-RateLimit-Limit", "10")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()

	m, _ := management.New(srv.URL, management.Config{Token: "my-management-token", HTTP: client.Config{MaxRetries: 2, MaxWait: 10 * time.Millisecond}})
	_, err := m.Roles.Get(context.Background(), "rol_1")
	var rl *client.RateLimitError
	if errors.As(err, &rl) {
		fmt.Println("attempts:", calls, "limit:", rl.Limit, "remaining:", rl.Remaining)
	}
	// Output: attempts: 3 limit: 10 remaining: 0
}

// Config.Debug shows each exchange with its secrets redacted.
func ExampleConfig_debug() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"eyJ...","token_type":"Bearer","expires_in":86400}`)
	}))
	defer srv.Close()

	debug := func(e client.DebugEvent) {
		fmt.Println(e.API, e.Method, e.StatusCode)
		fmt.Println(e.RequestBody)
		fmt.Println(e.ResponseBody)
	}
	auth, _ := authentication.New(srv.URL, authentication.Config{
		ClientID:     "app",
		ClientSecret: "s3cr3t",
		HTTP:         client.Config{Debug: debug},
	})
	auth.ClientCredentials(context.Background(), authentication.ClientCredentialsRequest{Audience: "https://api.example.com/"})
	// Output:
	// authentication POST 200
	// audience=https%3A%2F%2Fapi.example.com%2F&client_id=app&client_secret=%5BREDACTED%5D&grant_type=client_credentials
	// {"access_token":"[REDACTED]","expires_in":86400,"token_type":"Bearer"}
}

// BaseURL is how the clients read a tenant domain; with "/" appended it is
// the tenant's issuer (verifier.Config.Issuer).
func ExampleBaseURL() {
	for _, d := range []string{"tenant.eu.auth0.com", "http://127.0.0.1:8080/", "http://tenant.auth0.com"} {
		u, err := client.BaseURL(d)
		fmt.Printf("%q %v\n", u, errors.Is(err, client.ErrInvalidBaseURL))
	}
	// Output:
	// "https://tenant.eu.auth0.com" false
	// "http://127.0.0.1:8080" false
	// "" true
}
