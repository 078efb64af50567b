package authtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"
)

func userPath(id string) string { return "/api/v2/users/" + url.PathEscape(id) }

func TestManagementReads(t *testing.T) {
	tn := newTenant(t, fixtureConfig())
	tok := m2mToken(t, tn, tn.ManagementAudience())
	reader := map[string]any{"id": derivedID("rol_", "role", "reader"), "name": "reader", "description": "Reads items"}
	writer := map[string]any{"id": derivedID("rol_", "role", "writer"), "name": "writer", "description": "Writes items"}
	alice := map[string]any{"user_id": "auth0|alice", "email": "Alice@example.com", "name": "Alice Liddell", "picture": "https://example.com/alice.png"}
	carol := map[string]any{"user_id": "auth0|carol", "email": "carol@example.com", "name": "carol@example.com"}
	acme := map[string]any{"id": acmeID, "name": "acme", "display_name": "Acme Inc."}
	globex := map[string]any{"id": derivedID("org_", "organization", globexName), "name": globexName, "display_name": "Globex"}
	cases := []struct {
		name string
		path string
		want any
	}{
		{"user", userPath("auth0|alice"), map[string]any{
			"user_id": "auth0|alice", "email": "Alice@example.com", "email_verified": true, "name": "Alice Liddell", "nickname": "Alice",
			"picture": "https://example.com/alice.png", "blocked": false,
			"identities":   []any{map[string]any{"connection": DefaultConnection, "user_id": "alice", "provider": "auth0", "isSocial": false}},
			"app_metadata": map[string]any{"plan": "gold"}, "user_metadata": map[string]any{},
		}},
		{"user with username", userPath("auth0|bob"), map[string]any{
			"user_id": "auth0|bob", "email": "bob@example.com", "email_verified": false, "name": "bob@example.com", "nickname": "bob",
			"username": "bobby", "blocked": false,
			"identities":   []any{map[string]any{"connection": "employees", "user_id": "bob", "provider": "auth0", "isSocial": false}},
			"app_metadata": map[string]any{}, "user_metadata": map[string]any{},
		}},
		{"user roles", userPath("auth0|alice") + "/roles", []any{reader}},
		{"user roles with totals", userPath("auth0|alice") + "/roles?include_totals=true",
			map[string]any{"roles": []any{reader}, "start": float64(0), "limit": float64(50), "total": float64(1)}},
		{"user without roles", userPath("auth0|carol") + "/roles", []any{}},
		{"user organizations", userPath("auth0|alice") + "/organizations", []any{acme, globex}},
		{"user organizations with totals", userPath("auth0|alice") + "/organizations?include_totals=true&per_page=1&page=1",
			map[string]any{"organizations": []any{globex}, "start": float64(1), "limit": float64(1), "total": float64(2)}},
		{"user of one organization", userPath("auth0|carol") + "/organizations", []any{acme}},
		{"user organizations past the end", userPath("auth0|carol") + "/organizations?page=1", []any{}},
		{"organization", "/api/v2/organizations/" + acmeID, map[string]any{"id": acmeID, "name": "acme", "display_name": "Acme Inc."}},
		{"members", "/api/v2/organizations/" + acmeID + "/members", []any{alice, carol}},
		{"members page 1 of 1-item pages", "/api/v2/organizations/" + acmeID + "/members?page=1&per_page=1&include_totals=true",
			map[string]any{"members": []any{carol}, "start": float64(1), "limit": float64(1), "total": float64(2)}},
		{"members past the end", "/api/v2/organizations/" + acmeID + "/members?page=5", []any{}},
		{"member roles", "/api/v2/organizations/" + acmeID + "/members/" + url.PathEscape("auth0|alice") + "/roles", []any{writer}},
		{"member without org roles", "/api/v2/organizations/" + derivedID("org_", "organization", globexName) + "/members/" + url.PathEscape("auth0|alice") + "/roles", []any{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := get(t, tn, c.path, tok)
			if res.status != http.StatusOK {
				t.Fatalf("got %d %s, want 200", res.status, res.body)
			}
			var got any
			if err := json.Unmarshal(res.body, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %s\nwant %v", res.body, c.want)
			}
		})
	}
}

func TestManagementCheckpointPagination(t *testing.T) {
	cfg := fixtureConfig()
	for i := range 5 {
		cfg.Users = append(cfg.Users, User{ID: "member" + string(rune('a'+i)), Email: "m" + string(rune('a'+i)) + "@example.com",
			Password: "p", Organizations: []Membership{{Organization: "acme"}}})
	}
	tn := newTenant(t, cfg)
	tok := m2mToken(t, tn, tn.ManagementAudience())
	base := "/api/v2/organizations/" + acmeID + "/members"

	var ids []string
	from, pages := "", 0
	for {
		q := url.Values{"take": {"3"}}
		if from != "" {
			q.Set("from", from)
		}
		res := get(t, tn, base+"?"+q.Encode(), tok)
		if res.status != http.StatusOK {
			t.Fatalf("page %d: got %d %s, want 200", pages, res.status, res.body)
		}
		var page struct {
			Members []struct {
				UserID string `json:"user_id"`
			} `json:"members"`
			Next *string `json:"next"`
		}
		if err := json.Unmarshal(res.body, &page); err != nil {
			t.Fatal(err)
		}
		pages++
		for _, m := range page.Members {
			ids = append(ids, m.UserID)
		}
		if page.Next == nil {
			break
		}
		if *page.Next == "" || pages > 10 {
			t.Fatalf("page %d: next %q", pages, *page.Next)
		}
		from = *page.Next
	}
	want := []string{"auth0|alice", "auth0|carol", "auth0|membera", "auth0|memberb", "auth0|memberc", "auth0|memberd", "auth0|membere"}
	if pages != 3 || !reflect.DeepEqual(ids, want) {
		t.Errorf("got %d pages %v, want 3 pages %v", pages, ids, want)
	}

	// from alone starts a checkpoint listing with the default take.
	res := get(t, tn, base+"?from=", tok)
	var page map[string]any
	if err := json.Unmarshal(res.body, &page); err != nil || len(page["members"].([]any)) != 7 || page["next"] != nil {
		t.Errorf("from=: got %s, want all 7 members and no next", res.body)
	}
}

func TestManagementErrors(t *testing.T) {
	tn := newTenant(t, fixtureConfig())
	tok := m2mToken(t, tn, tn.ManagementAudience())
	limited := accessToken(t, tn, url.Values{"grant_type": {GrantClientCredentials}, "client_id": {"limited"},
		"client_secret": {"limited-secret"}, "audience": {tn.ManagementAudience()}})
	expired := mustMint(t, tn, Token{ExpiresIn: -time.Hour, Claims: map[string]any{"sub": "x@clients", "aud": tn.ManagementAudience(), "scope": "read:users"}})
	usersOnly := mustMint(t, tn, Token{Claims: map[string]any{"sub": "x@clients", "aud": tn.ManagementAudience(), "scope": "read:users"}})
	hs := mustMint(t, tn, Token{Alg: "HS256", Secret: []byte("0123456789abcdef0123456789abcdef"),
		Claims: map[string]any{"sub": "x@clients", "aud": tn.ManagementAudience(), "scope": "read:users"}})
	apiErr := func(status int, msg, code string) map[string]any {
		m := map[string]any{"statusCode": float64(status), "error": http.StatusText(status), "message": msg}
		if code != "" {
			m["errorCode"] = code
		}
		return m
	}
	members := "/api/v2/organizations/" + acmeID + "/members"
	cases := []struct {
		name   string
		path   string
		token  string
		status int
		want   map[string]any
	}{
		{"no token", userPath("auth0|alice"), "", 401, apiErr(401, "Missing authentication", "")},
		{"API token", userPath("auth0|alice"), m2mToken(t, tn, testAPI), 401, apiErr(401, "Bad audience", "")},
		{"expired", userPath("auth0|alice"), expired, 401, apiErr(401, "Expired token received for JSON Web Token validation", "")},
		{"HS256", userPath("auth0|alice"), hs, 401, apiErr(401, "Invalid token", "")},
		{"insufficient scope", userPath("auth0|alice"), limited, 403, apiErr(403, "Insufficient scope, expected any of: read:users", "insufficient_scope")},
		{"insufficient scope for members", members, limited, 403, apiErr(403, "Insufficient scope, expected any of: read:organization_members", "insufficient_scope")},
		{"unknown user", userPath("auth0|nobody"), tok, 404, apiErr(404, "The user does not exist.", "inexistent_user")},
		{"unknown user roles", userPath("auth0|nobody") + "/roles", tok, 404, apiErr(404, "The user does not exist.", "inexistent_user")},
		{"unknown user organizations", userPath("auth0|nobody") + "/organizations", tok, 404, apiErr(404, "The user does not exist.", "inexistent_user")},
		{"insufficient scope for user organizations", userPath("auth0|alice") + "/organizations", usersOnly, 403,
			apiErr(403, "Insufficient scope, expected any of: read:organizations", "insufficient_scope")},
		{"unknown organization", "/api/v2/organizations/org_nope", tok, 404, apiErr(404, "No organization found by that id or name", "")},
		{"members of unknown organization", "/api/v2/organizations/org_nope/members", tok, 404, apiErr(404, "No organization found by that id or name", "")},
		{"roles of a non-member", "/api/v2/organizations/" + acmeID + "/members/" + url.PathEscape("auth0|bob") + "/roles", tok, 404,
			apiErr(404, "The user is not a member of the organization.", "")},
		{"unknown endpoint", "/api/v2/clients", tok, 404, apiErr(404, "Not Found", "")},
		{"take 0", members + "?take=0", tok, 400, apiErr(400, "Query validation error: invalid pagination parameters", "invalid_query_string")},
		{"take 101", members + "?take=101", tok, 400, apiErr(400, "Query validation error: invalid pagination parameters", "invalid_query_string")},
		{"forged from", members + "?from=MTIz", tok, 400, apiErr(400, "Query validation error: invalid pagination parameters", "invalid_query_string")},
		{"per_page 0", members + "?per_page=0", tok, 400, apiErr(400, "Query validation error: invalid pagination parameters", "invalid_query_string")},
		{"negative page", members + "?page=-1", tok, 400, apiErr(400, "Query validation error: invalid pagination parameters", "invalid_query_string")},
		{"include_totals yes", members + "?include_totals=yes", tok, 400, apiErr(400, "Query validation error: invalid pagination parameters", "invalid_query_string")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := get(t, tn, c.path, c.token)
			if res.status != c.status {
				t.Fatalf("got %d %s, want %d", res.status, res.body, c.status)
			}
			if got := res.json(t); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %v\nwant %v", got, c.want)
			}
		})
	}
}
