package authtest

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"sync"
	"testing"

	"github.com/tokengate/tokengate/verifier"
)

// memberIDs returns the user_id (members) or id (organizations) of each
// item of the bare array listed at path.
func memberIDs(t *testing.T, tn *Tenant, path, tok string) []string {
	t.Helper()
	res := get(t, tn, path, tok)
	if res.status != http.StatusOK {
		t.Fatalf("GET %s: got %d %s, want 200", path, res.status, res.body)
	}
	var members []struct {
		UserID string `json:"user_id"`
		ID     string `json:"id"`
	}
	if err := json.Unmarshal(res.body, &members); err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, m := range members {
		ids = append(ids, m.UserID+m.ID) // user_id of members, id of organizations
	}
	return ids
}

func TestRemoveMember(t *testing.T) {
	tn := newTenant(t, fixtureConfig())
	tok := m2mToken(t, tn, tn.ManagementAudience())
	globexID := derivedID("org_", "organization", globexName)
	members := "/api/v2/organizations/" + acmeID + "/members"
	login := func() response {
		return postForm(t, tn, passwordForm(GrantPasswordRealm, webID, "carol@example.com", "carol-password",
			"audience", testAPI, "organization", "acme"))
	}
	// A token issued while carol is a member.
	before := accessToken(t, tn, passwordForm(GrantPasswordRealm, webID, "carol@example.com", "carol-password",
		"audience", testAPI, "organization", "acme"))

	// By organization name and User.ID; the subject and the ID work too.
	if err := tn.RemoveMember("acme", "carol"); err != nil {
		t.Fatalf("RemoveMember: got %v, want nil", err)
	}
	if err := tn.RemoveMember(globexID, "auth0|alice"); err != nil {
		t.Fatalf("RemoveMember by ID and subject: got %v, want nil", err)
	}

	t.Run("members", func(t *testing.T) {
		if got, want := memberIDs(t, tn, members, tok), []string{"auth0|alice"}; !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("member roles", func(t *testing.T) {
		res := get(t, tn, members+"/"+url.PathEscape("auth0|carol")+"/roles", tok)
		if res.status != http.StatusNotFound {
			t.Errorf("got %d %s, want 404", res.status, res.body)
		}
	})
	t.Run("user organizations", func(t *testing.T) {
		if got := memberIDs(t, tn, userPath("auth0|carol")+"/organizations", tok); len(got) != 0 {
			t.Errorf("carol: got %v, want none", got)
		}
		if got, want := memberIDs(t, tn, userPath("auth0|alice")+"/organizations", tok), []string{acmeID}; !reflect.DeepEqual(got, want) {
			t.Errorf("alice: got %v, want %v", got, want)
		}
	})
	t.Run("login to the organization", func(t *testing.T) {
		res := login()
		want := map[string]any{"error": "access_denied", "error_description": "User is not a member of the organization"}
		if got := res.json(t); res.status != http.StatusForbidden || !reflect.DeepEqual(got, want) {
			t.Errorf("got %d %v, want 403 %v", res.status, got, want)
		}
	})
	t.Run("token issued before", func(t *testing.T) {
		claims, err := verify(t, tn, before, verifier.Config{Audience: []string{testAPI}})
		if err != nil || claims.OrgID != acmeID {
			t.Errorf("got %v, %v, want claims of %s", claims, err, acmeID)
		}
	})
	t.Run("other memberships unchanged", func(t *testing.T) {
		res := get(t, tn, members+"/"+url.PathEscape("auth0|alice")+"/roles", tok)
		if res.status != http.StatusOK {
			t.Errorf("alice's roles in acme: got %d %s, want 200", res.status, res.body)
		}
	})
}

func TestRemoveMemberErrors(t *testing.T) {
	tn := newTenant(t, fixtureConfig())
	if err := tn.RemoveMember("acme", "carol"); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, org, user string }{
		{"unknown organization", "initech", "carol"},
		{"unknown user", "acme", "mallory"},
		{"unknown subject", "acme", "auth0|mallory"},
		{"not a member", "acme", "bob"},
		{"removed twice", acmeID, "auth0|carol"},
		{"empty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := tn.RemoveMember(c.org, c.user); !errors.Is(err, ErrNotFound) {
				t.Errorf("got %v, want an error wrapping ErrNotFound", err)
			}
		})
	}
}

// Removals race the requests that read memberships (go test -race).
func TestRemoveMemberConcurrent(t *testing.T) {
	cfg := fixtureConfig()
	for i := range 8 {
		cfg.Users = append(cfg.Users, User{ID: "m" + string(rune('a'+i)), Email: "m" + string(rune('a'+i)) + "@example.com",
			Password: "p", Organizations: []Membership{{Organization: "acme"}}})
	}
	tn := newTenant(t, cfg)
	tok := m2mToken(t, tn, tn.ManagementAudience())
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if err := tn.RemoveMember("acme", "m"+string(rune('a'+i))); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() { get(t, tn, "/api/v2/organizations/"+acmeID+"/members", tok) })
	}
	wg.Wait()
	if got, want := memberIDs(t, tn, "/api/v2/organizations/"+acmeID+"/members", tok), []string{"auth0|alice", "auth0|carol"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
