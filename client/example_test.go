package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"

	"github.com/tokengate/tokengate/client"
)

// A Client sends typed requests and decodes JSON answers; a non-2xx answer
// is an *Error.
func ExampleClient_Do() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/v2/users/auth0|42" {
			io.WriteString(w, `{"user_id":"auth0|42","email":"ada@example.com"}`)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"statusCode":404,"error":"Not Found","message":"The user does not exist.","errorCode":"inexistent_user"}`)
	}))
	defer srv.Close()

	c, err := client.New(srv.URL, client.WithAPIName("management"))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	var user struct {
		ID    string `json:"user_id"`
		Email string `json:"email"`
	}
	_, err = c.Do(ctx, &client.Request{Path: "/api/v2/users/" + url.PathEscape("auth0|42")}, &user)
	fmt.Println(user.ID, user.Email, err)

	_, err = c.Do(ctx, &client.Request{Path: "/api/v2/users/nobody"}, &user)
	var apiErr *client.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code)
	}
	fmt.Println(err)
	// Output:
	// auth0|42 ada@example.com <nil>
	// 404 inexistent_user
	// auth0: 404 inexistent_user: The user does not exist.
}

// A 429 is retried after Retry-After; when retries run out the error is a
// *RateLimitError.
func ExampleRateLimitError() {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Header().Set("Retry-After", "0")
		w.Header().Set("X-RateLimit-Limit", "10")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()

	c, _ := client.New(srv.URL, client.WithRetries(2), client.WithBackoff(time.Millisecond, 10*time.Millisecond))
	_, err := c.Do(context.Background(), &client.Request{Path: "/api/v2/roles"}, nil)
	var rl *client.RateLimitError
	if errors.As(err, &rl) {
		fmt.Println("attempts:", calls, "limit:", rl.Limit, "remaining:", rl.Remaining)
	}
	// Output: attempts: 3 limit: 10 remaining: 0
}

func ExampleBaseURL() {
	for _, d := range []string{"tenant.eu.auth0.com", "http://127.0.0.1:8080/", "http://tenant.auth0.com"} {
		u, err := client.BaseURL(d)
		fmt.Printf("%q %v\n", u, err != nil)
	}
	// Output:
	// "https://tenant.eu.auth0.com" false
	// "http://127.0.0.1:8080" false
	// "" true
}

func ExampleParseError() {
	e := client.ParseError(403, nil, []byte(`{"error":"mfa_required","error_description":"Multifactor authentication required","mfa_token":"Fe26..."}`))
	fmt.Println(e.Code, e.MFAToken != "")
	fmt.Println(e)
	// Output:
	// mfa_required true
	// auth0: 403 mfa_required: Multifactor authentication required
}

// WithDebug shows each exchange with its secrets redacted.
func ExampleWithDebug() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"eyJ...","token_type":"Bearer"}`)
	}))
	defer srv.Close()

	c, _ := client.New(srv.URL, client.WithDebug(func(e client.DebugEvent) {
		fmt.Println(e.Method, e.StatusCode)
		fmt.Println(e.RequestBody)
		fmt.Println(e.ResponseBody)
	}))
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"app"}, "client_secret": {"s3cr3t"}}
	c.Do(context.Background(), &client.Request{Method: "POST", Path: "/oauth/token", Form: form}, nil)
	// Output:
	// POST 200
	// client_id=app&client_secret=%5BREDACTED%5D&grant_type=client_credentials
	// {"access_token":"[REDACTED]","token_type":"Bearer"}
}
