package management_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/management"
)

// fakeTenant answers GET /api/v2/users/{id} and GET /api/v2/users (seven
// users, offset pagination with totals) for the examples.
func fakeTenant() *httptest.Server { return httptest.NewServer(fakeAPI()) }

func fakeAPI() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer my-management-token" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{
			"user_id": r.PathValue("id"), "email": "ada@example.com", "email_verified": true,
			"identities": []any{map[string]any{"provider": "github", "user_id": 1234, "connection": "github", "isSocial": true}},
		})
	})
	mux.HandleFunc("GET /api/v2/users/{id}/organizations", func(w http.ResponseWriter, r *http.Request) {
		orgs := []any{}
		if r.PathValue("id") == "auth0|ada" {
			orgs = append(orgs, map[string]any{"id": "org_acme", "name": "acme"})
		}
		json.NewEncoder(w).Encode(map[string]any{"organizations": orgs, "start": 0, "limit": 100, "total": len(orgs)})
	})
	mux.HandleFunc("GET /api/v2/users", func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		perPage, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		var users []any
		for i := page * perPage; i < min((page+1)*perPage, 7); i++ {
			users = append(users, map[string]any{"user_id": fmt.Sprintf("auth0|%d", i)})
		}
		json.NewEncoder(w).Encode(map[string]any{"users": users, "start": page * perPage, "limit": perPage, "total": 7})
	})
	return mux
}

func Example() {
	srv := fakeTenant()
	defer srv.Close()

	// A real tenant: management.New("tenant.eu.auth0.com", ...).
	m, err := management.New(srv.URL, management.Config{Token: "my-management-token"})
	if err != nil {
		fmt.Println(err)
		return
	}
	user, err := m.Users.Get(context.Background(), "github|1234", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(user.ID, user.Email, *user.EmailVerified)
	fmt.Println(user.Identities[0].Provider, user.Identities[0].UserID)
	// Output:
	// github|1234 ada@example.com true
	// github 1234
}

// All walks every page; here 7 users, 3 per page: 3 requests, and none for
// an empty page after the last.
func ExampleUserManager_All() {
	srv := fakeTenant()
	defer srv.Close()
	m, _ := management.New(srv.URL, management.Config{Token: "my-management-token"})

	opts := &management.UserListOptions{Offset: management.Offset{PerPage: 3}}
	for user, err := range m.Users.All(context.Background(), opts) {
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Print(user.ID, " ")
	}
	fmt.Println()
	// Output: auth0|0 auth0|1 auth0|2 auth0|3 auth0|4 auth0|5 auth0|6
}

// An Extra member replaces the field of the same name: nil sends null.
func ExampleObject_explicitNull() {
	body := &management.User{Name: "Ada", Extra: management.Object{"phone_number": nil}}
	b, _ := json.Marshal(body)
	fmt.Println(string(b))
	// Output: {"name":"Ada","phone_number":null}
}

// A MembershipChecker backs orgs.RequireMember, which revokes access as
// soon as a member is removed from the organization.
func ExampleMembershipChecker() {
	srv := fakeTenant()
	defer srv.Close()
	m, _ := management.New(srv.URL, management.Config{Token: "my-management-token"})

	checker := &management.MembershipChecker{Management: m}
	ctx := context.Background()
	for _, user := range []string{"auth0|ada", "auth0|bob"} {
		ok, err := checker.IsMember(ctx, "org_acme", user)
		fmt.Println(user, ok, err)
	}
	// Output:
	// auth0|ada true <nil>
	// auth0|bob false <nil>
}

// A Config names one source of tokens; here client credentials, fetched
// from the tenant's /oauth/token once and cached. A Config prints without
// its secret.
func ExampleNew() {
	mux := fakeAPI()
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("token request:", r.PostFormValue("grant_type"), r.PostFormValue("client_id"))
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"my-management-token","token_type":"Bearer","expires_in":86400}`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	cfg := management.Config{
		ClientID:     "my-backend",
		ClientSecret: "my-backend-secret",
		HTTP:         client.Config{Timeout: 5 * time.Second},
	}
	fmt.Println(cfg)
	m, err := management.New(srv.URL, cfg) // a real tenant: "tenant.eu.auth0.com"
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, id := range []string{"auth0|1", "auth0|2"} {
		user, err := m.Users.Get(context.Background(), id, nil)
		fmt.Println(user.ID, err)
	}
	// Output:
	// management.Config{token=client_credentials client_id="my-backend"}
	// token request: client_credentials my-backend
	// auth0|1 <nil>
	// auth0|2 <nil>
}

// Organizations.List takes either kind of pagination; the query sent
// shows which.
func ExampleOrganizationManager_List() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.URL.RawQuery)
		io.WriteString(w, `{"organizations":[{"id":"org_1","name":"acme"}],"next":"cursor-2"}`)
	}))
	defer srv.Close()
	m, _ := management.New(srv.URL, management.Config{Token: "my-management-token"})
	ctx := context.Background()

	m.Organizations.List(ctx, nil)                                      // the offset defaults
	m.Organizations.List(ctx, &management.Offset{Page: 2, PerPage: 10}) // offset
	page, _ := m.Organizations.List(ctx, &management.Checkpoint{Take: 1})
	m.Organizations.List(ctx, &management.Checkpoint{From: page.Next, Take: 1})
	// Output:
	// include_totals=true
	// include_totals=true&page=2&per_page=10
	// take=1
	// from=cursor-2&take=1
}
