package management

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
)

// The orgs package's interface, restated: MembershipChecker must satisfy it.
var _ interface {
	IsMember(ctx context.Context, orgID, userID string) (bool, error)
} = (*MembershipChecker)(nil)

// membershipTenant serves a user in orgs org_0..org_{nOrgs-1} and an
// organization org_big whose members are user_0..user_{nMembers-1}.
func membershipTenant(t *testing.T, nOrgs, nMembers int, fail int) (*Management, *atomic.Int32) {
	var calls atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/users/{id}/organizations", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if fail != 0 {
			w.WriteHeader(fail)
			return
		}
		if r.PathValue("id") != "auth0|member" {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"statusCode":404,"error":"Not Found","message":"The user does not exist.","errorCode":"inexistent_user"}`))
			return
		}
		q := r.URL.Query()
		page, _ := strconv.Atoi(q.Get("page"))
		per, _ := strconv.Atoi(q.Get("per_page"))
		if per != 100 || q.Get("include_totals") != "true" {
			t.Errorf("query: got %v, want per_page=100 and totals", q)
		}
		var orgs []map[string]string
		for i := page * per; i < min((page+1)*per, nOrgs); i++ {
			orgs = append(orgs, map[string]string{"id": fmt.Sprintf("org_%d", i)})
		}
		json.NewEncoder(w).Encode(map[string]any{"organizations": orgs, "start": page * per, "limit": per, "total": nOrgs})
	})
	mux.HandleFunc("GET /api/v2/organizations/{id}/members", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if fail != 0 {
			w.WriteHeader(fail)
			return
		}
		if r.PathValue("id") != "org_big" {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"statusCode":404,"error":"Not Found","message":"No organization found by that id or name"}`))
			return
		}
		q := r.URL.Query()
		if q.Get("take") != "100" || q.Get("fields") != "user_id" || q.Has("page") || q.Has("include_totals") {
			t.Errorf("query: got %v, want take=100, fields=user_id and no offset parameters", q)
		}
		start, _ := strconv.Atoi(q.Get("from"))
		var members []map[string]string
		for i := start; i < min(start+100, nMembers); i++ {
			members = append(members, map[string]string{"user_id": fmt.Sprintf("user_%d", i)})
		}
		body := map[string]any{"members": members}
		if start+100 < nMembers {
			body["next"] = strconv.Itoa(start + 100)
		}
		json.NewEncoder(w).Encode(body)
	})
	srv := newServer(t, mux.ServeHTTP)
	return newTestManagement(t, srv, Config{}), &calls
}

func TestMembershipByUserOrganizations(t *testing.T) {
	for _, tc := range []struct {
		name, org, user string
		nOrgs           int
		want            bool
		wantCalls       int32
	}{
		{"member, first page", "org_3", "auth0|member", 5, true, 1},
		{"member, third page", "org_250", "auth0|member", 260, true, 3},
		{"not a member", "org_x", "auth0|member", 5, false, 1},
		{"not a member, many orgs", "org_x", "auth0|member", 200, false, 2},
		{"ID compared exactly", "ORG_3", "auth0|member", 5, false, 1},
		{"no such user", "org_3", "auth0|ghost", 5, false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, calls := membershipTenant(t, tc.nOrgs, 0, 0)
			c := &MembershipChecker{Management: m}
			got, err := c.IsMember(context.Background(), tc.org, tc.user)
			if err != nil || got != tc.want {
				t.Fatalf("got %v %v, want %v nil", got, err, tc.want)
			}
			if calls.Load() != tc.wantCalls {
				t.Errorf("requests: got %d, want %d", calls.Load(), tc.wantCalls)
			}
		})
	}
}

func TestMembershipByOrganizationMembers(t *testing.T) {
	for _, tc := range []struct {
		name, org, user string
		want            bool
		wantCalls       int32
	}{
		{"member, first page", "org_big", "user_42", true, 1},
		{"member, last page", "org_big", "user_249", true, 3},
		{"not a member", "org_big", "user_x", false, 3},
		{"no such organization", "org_none", "user_1", false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, calls := membershipTenant(t, 0, 250, 0)
			c := &MembershipChecker{Management: m, Lookup: ByOrganizationMembers}
			got, err := c.IsMember(context.Background(), tc.org, tc.user)
			if err != nil || got != tc.want {
				t.Fatalf("got %v %v, want %v nil", got, err, tc.want)
			}
			if calls.Load() != tc.wantCalls {
				t.Errorf("requests: got %d, want %d", calls.Load(), tc.wantCalls)
			}
		})
	}
}

func TestMembershipErrorsAreNotNo(t *testing.T) {
	for _, lookup := range []MembershipLookup{ByUserOrganizations, ByOrganizationMembers} {
		for _, status := range []int{http.StatusForbidden, http.StatusInternalServerError, http.StatusBadRequest} {
			m, _ := membershipTenant(t, 5, 5, status)
			got, err := (&MembershipChecker{Management: m, Lookup: lookup}).IsMember(context.Background(), "org_big", "auth0|member")
			if err == nil || got {
				t.Errorf("lookup %d, status %d: got %v %v, want false and an error", lookup, status, got, err)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m, _ := membershipTenant(t, 5, 5, 0)
	if _, err := (&MembershipChecker{Management: m}).IsMember(ctx, "org_1", "auth0|member"); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: got %v, want context.Canceled", err)
	}
	if _, err := (&MembershipChecker{}).IsMember(context.Background(), "org_1", "u"); err == nil {
		t.Error("no Management: got nil error")
	}
	if _, err := (&MembershipChecker{Management: m}).IsMember(context.Background(), "", "u"); !errors.Is(err, ErrEmptyParameter) {
		t.Errorf("empty org: got %v, want ErrEmptyParameter", err)
	}
}
