package management

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

// routes calls each implemented reference method once with sample path
// parameters and nil (default) options, keyed by the reference's
// Class.python_method. TestRoutes checks what each sends against the
// reference row. Add the methods of a class here when it leaves
// pendingClasses.
// The configuration-style resources' routes are in routes_config_test.go.
func init() { maps.Copy(routes, configRoutes) }

var routes = map[string]func(ctx context.Context, m *Management) error{
	// Users
	"Users.list":   func(ctx context.Context, m *Management) error { _, err := m.Users.List(ctx, nil); return err },
	"Users.create": func(ctx context.Context, m *Management) error { _, err := m.Users.Create(ctx, &User{}); return err },
	"Users.get":    func(ctx context.Context, m *Management) error { _, err := m.Users.Get(ctx, "u1", nil); return err },
	"Users.delete": func(ctx context.Context, m *Management) error { return m.Users.Delete(ctx, "u1") },
	"Users.update": func(ctx context.Context, m *Management) error {
		_, err := m.Users.Update(ctx, "u1", &User{})
		return err
	},
	"Users.list_organizations": func(ctx context.Context, m *Management) error {
		_, err := m.Users.ListOrganizations(ctx, "u1", nil)
		return err
	},
	"Users.list_roles": func(ctx context.Context, m *Management) error {
		_, err := m.Users.ListRoles(ctx, "u1", nil)
		return err
	},
	"Users.remove_roles": func(ctx context.Context, m *Management) error { return m.Users.RemoveRoles(ctx, "u1", []string{"r1"}) },
	"Users.add_roles":    func(ctx context.Context, m *Management) error { return m.Users.AssignRoles(ctx, "u1", []string{"r1"}) },
	"Users.list_permissions": func(ctx context.Context, m *Management) error {
		_, err := m.Users.ListPermissions(ctx, "u1", nil)
		return err
	},
	"Users.remove_permissions": func(ctx context.Context, m *Management) error {
		return m.Users.RemovePermissions(ctx, "u1", []*Permission{{ResourceServerIdentifier: "api", PermissionName: "p"}})
	},
	"Users.add_permissions": func(ctx context.Context, m *Management) error {
		return m.Users.AssignPermissions(ctx, "u1", []*Permission{{ResourceServerIdentifier: "api", PermissionName: "p"}})
	},
	"Users.delete_multifactor":    func(ctx context.Context, m *Management) error { return m.Users.DeleteMultifactor(ctx, "u1", "duo") },
	"Users.delete_authenticators": func(ctx context.Context, m *Management) error { return m.Users.DeleteAuthenticators(ctx, "u1") },
	"Users.unlink_user_account": func(ctx context.Context, m *Management) error {
		_, err := m.Users.Unlink(ctx, "u1", "github", "123")
		return err
	},
	"Users.link_user_account": func(ctx context.Context, m *Management) error {
		_, err := m.Users.Link(ctx, "u1", &LinkRequest{Provider: "auth0", UserID: "u2"})
		return err
	},
	"Users.regenerate_recovery_code": func(ctx context.Context, m *Management) error {
		_, err := m.Users.RegenerateRecoveryCode(ctx, "u1")
		return err
	},
	"Users.get_guardian_enrollments": func(ctx context.Context, m *Management) error {
		_, err := m.Users.ListEnrollments(ctx, "u1")
		return err
	},
	"Users.get_log_events": func(ctx context.Context, m *Management) error { _, err := m.Users.ListLogs(ctx, "u1", nil); return err },
	"Users.invalidate_remembered_browsers": func(ctx context.Context, m *Management) error {
		return m.Users.InvalidateRememberBrowser(ctx, "u1")
	},
	"Users.get_authentication_methods": func(ctx context.Context, m *Management) error {
		_, err := m.Users.ListAuthenticationMethods(ctx, "u1", nil)
		return err
	},
	"Users.get_authentication_method_by_id": func(ctx context.Context, m *Management) error {
		_, err := m.Users.GetAuthenticationMethod(ctx, "u1", "am1")
		return err
	},
	"Users.create_authentication_method": func(ctx context.Context, m *Management) error {
		_, err := m.Users.CreateAuthenticationMethod(ctx, "u1", &AuthenticationMethod{Type: "email"})
		return err
	},
	"Users.update_authentication_methods": func(ctx context.Context, m *Management) error {
		_, err := m.Users.ReplaceAuthenticationMethods(ctx, "u1", nil)
		return err
	},
	"Users.update_authentication_method_by_id": func(ctx context.Context, m *Management) error {
		_, err := m.Users.UpdateAuthenticationMethod(ctx, "u1", "am1", &AuthenticationMethod{Name: "n"})
		return err
	},
	"Users.delete_authentication_methods": func(ctx context.Context, m *Management) error {
		return m.Users.DeleteAuthenticationMethods(ctx, "u1")
	},
	"Users.delete_authentication_method_by_id": func(ctx context.Context, m *Management) error {
		return m.Users.DeleteAuthenticationMethod(ctx, "u1", "am1")
	},
	"Users.list_tokensets": func(ctx context.Context, m *Management) error {
		_, err := m.Users.ListTokenSets(ctx, "u1", nil)
		return err
	},
	"Users.delete_tokenset_by_id": func(ctx context.Context, m *Management) error { return m.Users.DeleteTokenSet(ctx, "u1", "ts1") },
	// UsersByEmail
	"UsersByEmail.search_users_by_email": func(ctx context.Context, m *Management) error {
		_, err := m.UsersByEmail.Search(ctx, "a@example.com", nil)
		return err
	},
	// Organizations
	"Organizations.all_organizations": func(ctx context.Context, m *Management) error {
		_, err := m.Organizations.List(ctx, nil)
		return err
	},
	"Organizations.get_organization_by_name": func(ctx context.Context, m *Management) error {
		_, err := m.Organizations.GetByName(ctx, "acme")
		return err
	},
	"Organizations.get_organization": func(ctx context.Context, m *Management) error {
		_, err := m.Organizations.Get(ctx, "o1")
		return err
	},
	"Organizations.create_organization": func(ctx context.Context, m *Management) error {
		_, err := m.Organizations.Create(ctx, &Organization{Name: "acme"})
		return err
	},
	"Organizations.update_organization": func(ctx context.Context, m *Management) error {
		_, err := m.Organizations.Update(ctx, "o1", &Organization{DisplayName: "Acme"})
		return err
	},
	"Organizations.delete_organization": func(ctx context.Context, m *Management) error { return m.Organizations.Delete(ctx, "o1") },
	"Organizations.all_organization_connections": func(ctx context.Context, m *Management) error {
		_, err := m.Organizations.ListConnections(ctx, "o1", nil)
		return err
	},
	"Organizations.get_organization_connection": func(ctx context.Context, m *Management) error {
		_, err := m.Organizations.GetConnection(ctx, "o1", "c1")
		return err
	},
	"Organizations.create_organization_connection": func(ctx context.Context, m *Management) error {
		_, err := m.Organizations.AddConnection(ctx, "o1", &EnabledConnection{ConnectionID: "c1"})
		return err
	},
	"Organizations.update_organization_connection": func(ctx context.Context, m *Management) error {
		_, err := m.Organizations.UpdateConnection(ctx, "o1", "c1", &EnabledConnection{ShowAsButton: Bool(true)})
		return err
	},
	"Organizations.delete_organization_connection": func(ctx context.Context, m *Management) error {
		return m.Organizations.RemoveConnection(ctx, "o1", "c1")
	},
	"Organizations.all_organization_members": func(ctx context.Context, m *Management) error {
		_, err := m.Organizations.ListMembers(ctx, "o1", nil, nil)
		return err
	},
	"Organizations.create_organization_members": func(ctx context.Context, m *Management) error {
		return m.Organizations.AddMembers(ctx, "o1", []string{"u1"})
	},
	"Organizations.delete_organization_members": func(ctx context.Context, m *Management) error {
		return m.Organizations.RemoveMembers(ctx, "o1", []string{"u1"})
	},
	"Organizations.all_organization_member_roles": func(ctx context.Context, m *Management) error {
		_, err := m.Organizations.ListMemberRoles(ctx, "o1", "u1", nil)
		return err
	},
	"Organizations.create_organization_member_roles": func(ctx context.Context, m *Management) error {
		return m.Organizations.AssignMemberRoles(ctx, "o1", "u1", []string{"r1"})
	},
	"Organizations.delete_organization_member_roles": func(ctx context.Context, m *Management) error {
		return m.Organizations.RemoveMemberRoles(ctx, "o1", "u1", []string{"r1"})
	},
	"Organizations.all_organization_invitations": func(ctx context.Context, m *Management) error {
		_, err := m.Organizations.ListInvitations(ctx, "o1", nil)
		return err
	},
	"Organizations.get_organization_invitation": func(ctx context.Context, m *Management) error {
		_, err := m.Organizations.GetInvitation(ctx, "o1", "i1")
		return err
	},
	"Organizations.create_organization_invitation": func(ctx context.Context, m *Management) error {
		_, err := m.Organizations.CreateInvitation(ctx, "o1", &Invitation{ClientID: "c"})
		return err
	},
	"Organizations.delete_organization_invitation": func(ctx context.Context, m *Management) error {
		return m.Organizations.DeleteInvitation(ctx, "o1", "i1")
	},
	"Organizations.get_client_grants": func(ctx context.Context, m *Management) error {
		_, err := m.Organizations.ListClientGrants(ctx, "o1", nil)
		return err
	},
	"Organizations.add_client_grant": func(ctx context.Context, m *Management) error {
		_, err := m.Organizations.AddClientGrant(ctx, "o1", "g1")
		return err
	},
	"Organizations.delete_client_grant": func(ctx context.Context, m *Management) error {
		return m.Organizations.RemoveClientGrant(ctx, "o1", "g1")
	},
	// Roles
	"Roles.list": func(ctx context.Context, m *Management) error { _, err := m.Roles.List(ctx, nil); return err },
	"Roles.create": func(ctx context.Context, m *Management) error {
		_, err := m.Roles.Create(ctx, &Role{Name: "r"})
		return err
	},
	"Roles.get":    func(ctx context.Context, m *Management) error { _, err := m.Roles.Get(ctx, "r1"); return err },
	"Roles.delete": func(ctx context.Context, m *Management) error { return m.Roles.Delete(ctx, "r1") },
	"Roles.update": func(ctx context.Context, m *Management) error {
		_, err := m.Roles.Update(ctx, "r1", &Role{Name: "r"})
		return err
	},
	"Roles.list_users": func(ctx context.Context, m *Management) error {
		_, err := m.Roles.ListUsers(ctx, "r1", nil)
		return err
	},
	"Roles.add_users": func(ctx context.Context, m *Management) error { return m.Roles.AssignUsers(ctx, "r1", []string{"u1"}) },
	"Roles.list_permissions": func(ctx context.Context, m *Management) error {
		_, err := m.Roles.ListPermissions(ctx, "r1", nil)
		return err
	},
	"Roles.remove_permissions": func(ctx context.Context, m *Management) error {
		return m.Roles.RemovePermissions(ctx, "r1", []*Permission{{ResourceServerIdentifier: "api", PermissionName: "p"}})
	},
	"Roles.add_permissions": func(ctx context.Context, m *Management) error {
		return m.Roles.AssignPermissions(ctx, "r1", []*Permission{{ResourceServerIdentifier: "api", PermissionName: "p"}})
	},
	// Clients
	"Clients.all": func(ctx context.Context, m *Management) error { _, err := m.Clients.List(ctx, nil); return err },
	"Clients.create": func(ctx context.Context, m *Management) error {
		_, err := m.Clients.Create(ctx, &Client{Name: "a"})
		return err
	},
	"Clients.get":    func(ctx context.Context, m *Management) error { _, err := m.Clients.Get(ctx, "c1", nil); return err },
	"Clients.delete": func(ctx context.Context, m *Management) error { return m.Clients.Delete(ctx, "c1") },
	"Clients.update": func(ctx context.Context, m *Management) error {
		_, err := m.Clients.Update(ctx, "c1", &Client{Name: "a"})
		return err
	},
	"Clients.rotate_secret": func(ctx context.Context, m *Management) error {
		_, err := m.Clients.RotateSecret(ctx, "c1")
		return err
	},
	// ClientGrants
	"ClientGrants.all": func(ctx context.Context, m *Management) error { _, err := m.ClientGrants.List(ctx, nil); return err },
	"ClientGrants.create": func(ctx context.Context, m *Management) error {
		_, err := m.ClientGrants.Create(ctx, &ClientGrant{ClientID: "c1", Audience: "api"})
		return err
	},
	"ClientGrants.delete": func(ctx context.Context, m *Management) error { return m.ClientGrants.Delete(ctx, "g1") },
	"ClientGrants.update": func(ctx context.Context, m *Management) error {
		_, err := m.ClientGrants.Update(ctx, "g1", &ClientGrant{Scope: []string{}})
		return err
	},
	"ClientGrants.get_organizations": func(ctx context.Context, m *Management) error {
		_, err := m.ClientGrants.ListOrganizations(ctx, "g1", nil)
		return err
	},
	// Connections
	"Connections.all": func(ctx context.Context, m *Management) error { _, err := m.Connections.List(ctx, nil); return err },
	"Connections.get": func(ctx context.Context, m *Management) error {
		_, err := m.Connections.Get(ctx, "c1", nil)
		return err
	},
	"Connections.delete": func(ctx context.Context, m *Management) error { return m.Connections.Delete(ctx, "c1") },
	"Connections.update": func(ctx context.Context, m *Management) error {
		_, err := m.Connections.Update(ctx, "c1", &Connection{})
		return err
	},
	"Connections.create": func(ctx context.Context, m *Management) error {
		_, err := m.Connections.Create(ctx, &Connection{Name: "db", Strategy: "auth0"})
		return err
	},
	"Connections.delete_user_by_email": func(ctx context.Context, m *Management) error {
		return m.Connections.DeleteUserByEmail(ctx, "c1", "a@example.com")
	},
	// ResourceServers
	"ResourceServers.create": func(ctx context.Context, m *Management) error {
		_, err := m.ResourceServers.Create(ctx, &ResourceServer{Identifier: "api"})
		return err
	},
	"ResourceServers.get_all": func(ctx context.Context, m *Management) error { _, err := m.ResourceServers.List(ctx, nil); return err },
	"ResourceServers.get": func(ctx context.Context, m *Management) error {
		_, err := m.ResourceServers.Get(ctx, "rs1")
		return err
	},
	"ResourceServers.delete": func(ctx context.Context, m *Management) error { return m.ResourceServers.Delete(ctx, "rs1") },
	"ResourceServers.update": func(ctx context.Context, m *Management) error {
		_, err := m.ResourceServers.Update(ctx, "rs1", &ResourceServer{Name: "n"})
		return err
	},
	// Logs
	"Logs.search": func(ctx context.Context, m *Management) error { _, err := m.Logs.List(ctx, nil, nil); return err },
	"Logs.get":    func(ctx context.Context, m *Management) error { _, err := m.Logs.Get(ctx, "l1"); return err },
	// Jobs
	"Jobs.get":            func(ctx context.Context, m *Management) error { _, err := m.Jobs.Get(ctx, "j1"); return err },
	"Jobs.get_failed_job": func(ctx context.Context, m *Management) error { _, err := m.Jobs.GetErrors(ctx, "j1"); return err },
	"Jobs.export_users": func(ctx context.Context, m *Management) error {
		_, err := m.Jobs.ExportUsers(ctx, &Job{Format: "json"})
		return err
	},
	"Jobs.import_users": func(ctx context.Context, m *Management) error {
		_, err := m.Jobs.ImportUsers(ctx, &UsersImport{ConnectionID: "c1", Users: []byte(`[]`)})
		return err
	},
	"Jobs.send_verification_email": func(ctx context.Context, m *Management) error {
		_, err := m.Jobs.SendVerificationEmail(ctx, &Job{UserID: "u1"})
		return err
	},
	// Tickets
	"Tickets.create_email_verification": func(ctx context.Context, m *Management) error {
		_, err := m.Tickets.CreateEmailVerification(ctx, &Ticket{UserID: "u1"})
		return err
	},
	"Tickets.create_pswd_change": func(ctx context.Context, m *Management) error {
		_, err := m.Tickets.CreatePasswordChange(ctx, &Ticket{UserID: "u1"})
		return err
	},
	// UserBlocks
	"UserBlocks.get_by_identifier": func(ctx context.Context, m *Management) error {
		_, err := m.UserBlocks.ListByIdentifier(ctx, "ada")
		return err
	},
	"UserBlocks.unblock_by_identifier": func(ctx context.Context, m *Management) error {
		return m.UserBlocks.UnblockByIdentifier(ctx, "ada")
	},
	"UserBlocks.get":     func(ctx context.Context, m *Management) error { _, err := m.UserBlocks.Get(ctx, "u1"); return err },
	"UserBlocks.unblock": func(ctx context.Context, m *Management) error { return m.UserBlocks.Unblock(ctx, "u1") },
	// Grants
	"Grants.all":    func(ctx context.Context, m *Management) error { _, err := m.Grants.List(ctx, nil); return err },
	"Grants.delete": func(ctx context.Context, m *Management) error { return m.Grants.Delete(ctx, "g1") },
	// DeviceCredentials
	"DeviceCredentials.get": func(ctx context.Context, m *Management) error {
		_, err := m.DeviceCredentials.List(ctx, nil)
		return err
	},
	"DeviceCredentials.create": func(ctx context.Context, m *Management) error {
		_, err := m.DeviceCredentials.Create(ctx, &DeviceCredential{DeviceName: "d"})
		return err
	},
	"DeviceCredentials.delete": func(ctx context.Context, m *Management) error { return m.DeviceCredentials.Delete(ctx, "d1") },
}

// sentRequest is what the route server received.
type sentRequest struct {
	method, path, contentType string
	query                     url.Values
	body                      []byte
}

// TestRoutes calls every implemented method of testdata/coverage.tsv and
// checks the request against its row: the verb, the path (each {param} one
// segment), the query sent with default options (every name=value default,
// no other name; a bare name is never sent by default), and the body
// (none, the named members, or a JSON/multipart body). A method is called
// with the sample arguments of routes, or, without an entry there, with
// sampleArgs (path parameters, an empty body, nil options).
func TestRoutes(t *testing.T) {
	var mu sync.Mutex
	var got *sentRequest
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = &sentRequest{r.Method, r.URL.EscapedPath(), r.Header.Get("Content-Type"), r.URL.Query(), b}
		mu.Unlock()
		io.WriteString(w, `{}`)
	})
	m := newTestManagement(t, srv, Config{})
	keys := map[string]bool{}
	for _, c := range readCoverage(t) {
		if c.goMethod == "PENDING" {
			continue
		}
		key := c.key()
		keys[key] = true
		call := routeCall(c)
		t.Run(key, func(t *testing.T) {
			got = nil
			err := call(context.Background(), m)
			if got == nil {
				t.Fatalf("no request sent (err %v)", err)
			}
			checkRoute(t, c, got)
		})
	}
	for key := range routes {
		if !keys[key] {
			t.Errorf("routes has %s, which is not a row of coverage.tsv", key)
		}
	}
}

// routeCall is the route test's call of a row's method: its entry in
// routes, else sampleCall.
func routeCall(row covRow) func(ctx context.Context, m *Management) error {
	if call, ok := routes[row.key()]; ok {
		return call
	}
	return sampleCall(row.goMethod)
}

func checkRoute(t *testing.T, row covRow, got *sentRequest) {
	t.Helper()
	verb, multipart := strings.CutSuffix(row.verb, "(multipart)")
	if got.method != verb {
		t.Errorf("verb: got %s, want %s", got.method, verb)
	}
	if !matchTemplate("/api/v2"+row.path, got.path) {
		t.Errorf("path: got %s, want %s", got.path, row.path)
	}
	allowed := map[string]bool{}
	for _, tok := range strings.Fields(row.query) {
		if strings.HasPrefix(tok, "+") {
			continue // +extra_params
		}
		name, def, hasDef := strings.Cut(tok, "=")
		allowed[name] = true
		if hasDef && got.query.Get(name) != def {
			t.Errorf("query %s: got %q, want the default %q", name, got.query.Get(name), def)
		}
		if !hasDef && got.query.Has(name) && !slices.Contains([]string{"email", "identifier"}, name) {
			t.Errorf("query %s sent by default: %q", name, got.query.Get(name))
		}
	}
	for name := range got.query {
		if !allowed[name] {
			t.Errorf("query %s=%q is not a parameter of the reference row", name, got.query.Get(name))
		}
	}
	switch {
	case multipart:
		if !strings.HasPrefix(got.contentType, "multipart/form-data") {
			t.Errorf("Content-Type: got %q, want multipart/form-data", got.contentType)
		}
	case row.body == "":
		if len(got.body) != 0 {
			t.Errorf("body: got %s, want none", got.body)
		}
	case strings.HasPrefix(row.body, "{") && row.body != "{}":
		names := strings.Split(strings.Trim(row.body, "{}"), ",")
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(got.body, &obj); err != nil {
			t.Fatalf("body %s: %v", got.body, err)
		}
		for k := range obj {
			k2 := k
			if !slices.ContainsFunc(names, func(n string) bool { return strings.Split(n, ":")[0] == k2 }) {
				t.Errorf("body member %q is not in %s", k, row.body)
			}
		}
	default:
		if !json.Valid(got.body) || len(got.body) == 0 {
			t.Errorf("body: got %q, want JSON", got.body)
		}
	}
}

// TestCustomDomainRoutes calls every method of coverage.tsv on a client with a
// custom domain: the header must be sent exactly on the endpoints whose
// path matches one of the Python SDK's whitelist patterns (copied from
// management_client.py, independent of customDomainAllowed).
func TestCustomDomainRoutes(t *testing.T) {
	whitelist := []*regexp.Regexp{
		regexp.MustCompile(`^/api/v2/jobs/verification-email$`),
		regexp.MustCompile(`^/api/v2/tickets/email-verification$`),
		regexp.MustCompile(`^/api/v2/tickets/password-change$`),
		regexp.MustCompile(`^/api/v2/organizations/[^/]+/invitations$`),
		regexp.MustCompile(`^/api/v2/users$`),
		regexp.MustCompile(`^/api/v2/users/[^/]+$`),
		regexp.MustCompile(`^/api/v2/guardian/enrollments/ticket$`),
		regexp.MustCompile(`^/api/v2/self-service-profiles/[^/]+/sso-ticket$`),
	}
	var got []string
	var gotPath string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		got, gotPath = r.Header.Values("Auth0-Custom-Domain"), r.URL.EscapedPath()
		io.WriteString(w, `{}`)
	})
	m := newTestManagement(t, srv, Config{CustomDomain: "login.example.com"})
	sent := 0
	for _, row := range readCoverage(t) {
		if row.goMethod == "PENDING" {
			continue
		}
		key := row.key()
		got, gotPath = nil, ""
		routeCall(row)(context.Background(), m)
		want := slices.ContainsFunc(whitelist, func(re *regexp.Regexp) bool { return re.MatchString(gotPath) })
		if want != (len(got) == 1 && got[0] == "login.example.com") || len(got) > 1 {
			t.Errorf("%s (%s): Auth0-Custom-Domain %q, want it: %v", key, gotPath, got, want)
		}
		if want {
			sent++
		}
	}
	// users (list, create, get, update, delete), organization invitations
	// (list, create), the verification email job and both tickets.
	if sent != 12 {
		t.Errorf("methods sending the header: got %d, want 10", sent)
	}
}

// matchTemplate matches an escaped path against a reference path whose
// {param} segments match any one non-empty segment.
func matchTemplate(tmpl, path string) bool {
	ts, ps := strings.Split(tmpl, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i, s := range ts {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			if ps[i] == "" {
				return false
			}
			continue
		}
		if s != ps[i] {
			return false
		}
	}
	return true
}
