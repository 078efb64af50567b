package authtest

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// directory is the validated, indexed, immutable form of a Config's clients,
// users, roles and organizations. Request handlers only read it, so it needs
// no lock.
type directory struct {
	clients         map[string]*client
	users           []*user // in Config order
	bySubject       map[string]*user
	byLogin         map[string]*user // connection + "\x00" + lower-case login name
	roles           map[string]*Role // by ID and by name
	orgs            []*Organization  // in Config order
	orgByID         map[string]*Organization
	orgByName       map[string]*Organization
	apis            map[string]bool
	connections     map[string]bool
	invitations     map[string]*invitation // by ID (invitations.go)
	defaultAudience string
	mgmtAudience    string
	// customTokenTypes are Config.CustomTokenTypes (exchange.go).
	customTokenTypes []string
}

type client struct {
	Client
	grantTypes map[string]bool
	grants     map[string][]string // audience → scopes, the Management API included
	orgs       map[string]bool     // organization IDs
}

type user struct {
	User
	subject  string
	roles    []*Role
	orgRoles map[string][]*Role // organization ID → roles; a key means membership
	orgOrder []string
}

func configErrorf(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, a...)...)
}

// derivedID makes a stable Auth0-looking identifier from a name, so tests can
// predict it without configuring it.
func derivedID(prefix, kind, name string) string {
	sum := sha256.Sum256([]byte(kind + "\x00" + name))
	return prefix + hex.EncodeToString(sum[:8])
}

// newDirectory validates cfg and indexes it. mgmtAudience is the tenant's
// Management API identifier, known once the listener is up.
func newDirectory(cfg *Config, mgmtAudience string) (*directory, error) {
	d := &directory{
		clients:         map[string]*client{},
		bySubject:       map[string]*user{},
		byLogin:         map[string]*user{},
		roles:           map[string]*Role{},
		orgByID:         map[string]*Organization{},
		orgByName:       map[string]*Organization{},
		apis:            map[string]bool{mgmtAudience: true},
		connections:     map[string]bool{DefaultConnection: true},
		defaultAudience: cfg.DefaultAudience,
		mgmtAudience:    mgmtAudience,
	}
	if err := checkCustomTokenTypes(cfg.CustomTokenTypes); err != nil {
		return nil, err
	}
	d.customTokenTypes = slices.Clone(cfg.CustomTokenTypes)
	if err := d.addRoles(cfg.Roles); err != nil {
		return nil, err
	}
	if err := d.addOrganizations(cfg.Organizations); err != nil {
		return nil, err
	}
	for _, a := range cfg.APIs {
		if a == "" {
			return nil, configErrorf("empty API identifier")
		}
		d.apis[a] = true
	}
	if err := d.addClients(cfg.Clients); err != nil {
		return nil, err
	}
	if err := d.addUsers(cfg.Users); err != nil {
		return nil, err
	}
	if err := d.addInvitations(cfg.Invitations); err != nil {
		return nil, err
	}
	if d.defaultAudience != "" && !d.apis[d.defaultAudience] {
		d.apis[d.defaultAudience] = true
	}
	return d, nil
}

func (d *directory) addRoles(roles []Role) error {
	for i := range roles {
		r := roles[i]
		if r.Name == "" {
			return configErrorf("role %d has no Name", i)
		}
		if r.ID == "" {
			r.ID = derivedID("rol_", "role", r.Name)
		}
		if d.roles[r.Name] != nil || d.roles[r.ID] != nil {
			return configErrorf("role %q defined twice", r.Name)
		}
		r.Permissions = slices.Clone(r.Permissions)
		for _, p := range r.Permissions {
			if p.API == "" || p.Name == "" {
				return configErrorf("role %q has a permission without API or Name", r.Name)
			}
			d.apis[p.API] = true
		}
		d.roles[r.ID] = &r
		d.roles[r.Name] = &r
	}
	return nil
}

func (d *directory) addOrganizations(orgs []Organization) error {
	for i := range orgs {
		o := orgs[i]
		if o.Name == "" {
			return configErrorf("organization %d has no Name", i)
		}
		if o.Name != strings.ToLower(o.Name) {
			return configErrorf("organization name %q is not lower-case (Auth0 requires it)", o.Name)
		}
		if o.ID == "" {
			o.ID = derivedID("org_", "organization", o.Name)
		}
		if msg := orgIDProblem(o.ID); msg != "" {
			return configErrorf("organization ID %q %s", o.ID, msg)
		}
		if d.orgByID[o.ID] != nil || d.orgByName[o.Name] != nil {
			return configErrorf("organization %q defined twice", o.Name)
		}
		o.Metadata = maps.Clone(o.Metadata)
		d.orgs = append(d.orgs, &o)
		d.orgByID[o.ID] = &o
		d.orgByName[o.Name] = &o
	}
	return nil
}

// org finds an organization by ID (exact) or name (case-insensitive, as
// Auth0 treats the organization parameter).
func (d *directory) org(ref string) *Organization {
	if o := d.orgByID[ref]; o != nil {
		return o
	}
	return d.orgByName[strings.ToLower(ref)]
}

var knownGrants = map[string]bool{GrantClientCredentials: true, GrantPassword: true, GrantPasswordRealm: true,
	GrantTokenExchange: true, GrantFederatedConnectionToken: true}

func (d *directory) addClients(clients []Client) error {
	for i := range clients {
		c := &client{Client: clients[i]}
		if c.ID == "" {
			return configErrorf("client %d has no ID", i)
		}
		if d.clients[c.ID] != nil {
			return configErrorf("client %q defined twice", c.ID)
		}
		if err := checkLogoutURI(&c.Client); err != nil {
			return err
		}
		confidential := c.Secret != "" || c.AssertionKey != nil
		if c.AssertionKey != nil && c.AssertionKey.Symmetric() {
			return configErrorf("client %q: AssertionKey must be a public key", c.ID)
		}
		types := c.GrantTypes
		if len(types) == 0 {
			types = []string{GrantPassword, GrantPasswordRealm}
			if confidential {
				types = append(types, GrantClientCredentials)
			}
		}
		c.grantTypes = map[string]bool{}
		for _, g := range types {
			if !knownGrants[g] {
				return configErrorf("client %q: unknown grant type %q", c.ID, g)
			}
			if (g == GrantClientCredentials || g == GrantTokenExchange || g == GrantFederatedConnectionToken) && !confidential {
				return configErrorf("client %q: %s needs a Secret or an AssertionKey", c.ID, g)
			}
			c.grantTypes[g] = true
		}
		c.grants = map[string][]string{}
		for aud, scopes := range c.Grants {
			if aud == "" {
				return configErrorf("client %q: grant with an empty audience", c.ID)
			}
			c.grants[aud] = slices.Clone(scopes)
			d.apis[aud] = true
		}
		if len(c.ManagementScopes) > 0 {
			c.grants[d.mgmtAudience] = append(c.grants[d.mgmtAudience], c.ManagementScopes...)
		}
		c.orgs = map[string]bool{}
		for _, ref := range c.Organizations {
			o := d.org(ref)
			if o == nil {
				return configErrorf("client %q: unknown organization %q", c.ID, ref)
			}
			c.orgs[o.ID] = true
		}
		// Keep no aliases of the caller's slices and maps.
		c.Client.GrantTypes, c.Client.Grants, c.Client.ManagementScopes, c.Client.Organizations = nil, nil, nil, nil
		d.clients[c.ID] = c
	}
	return nil
}

func (d *directory) resolveRoles(owner string, names []string) ([]*Role, error) {
	var out []*Role
	for _, n := range names {
		r := d.roles[n]
		if r == nil {
			return nil, configErrorf("%s: unknown role %q", owner, n)
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (d *directory) addUsers(users []User) error {
	for i := range users {
		u := &user{User: users[i]}
		if u.ID == "" {
			return configErrorf("user %d has no ID", i)
		}
		u.subject = u.ID
		if !strings.Contains(u.ID, "|") {
			u.subject = "auth0|" + u.ID
		}
		if d.bySubject[u.subject] != nil {
			return configErrorf("user %q defined twice", u.subject)
		}
		if u.Password == "" {
			return configErrorf("user %q has no Password", u.subject)
		}
		if u.Email == "" && u.Username == "" {
			return configErrorf("user %q has neither Email nor Username", u.subject)
		}
		if u.Connection == "" {
			u.Connection = DefaultConnection
		}
		// Auth0's defaults for database users without a name or nickname.
		login := cmp.Or(u.Email, u.Username)
		u.Name = cmp.Or(u.Name, login)
		u.Nickname = cmp.Or(u.Nickname, strings.SplitN(login, "@", 2)[0])
		d.connections[u.Connection] = true
		for _, login := range []string{u.Email, u.Username} {
			if login == "" {
				continue
			}
			k := u.Connection + "\x00" + strings.ToLower(login)
			if d.byLogin[k] != nil {
				return configErrorf("login name %q used twice in connection %q", login, u.Connection)
			}
			d.byLogin[k] = u
		}
		var err error
		if u.roles, err = d.resolveRoles("user "+u.subject, u.Roles); err != nil {
			return err
		}
		u.orgRoles = map[string][]*Role{}
		for _, m := range u.Organizations {
			o := d.org(m.Organization)
			if o == nil {
				return configErrorf("user %q: unknown organization %q", u.subject, m.Organization)
			}
			if _, dup := u.orgRoles[o.ID]; dup {
				return configErrorf("user %q: member of %q twice", u.subject, o.Name)
			}
			roles, err := d.resolveRoles("user "+u.subject+" in "+o.Name, m.Roles)
			if err != nil {
				return err
			}
			if roles == nil {
				roles = []*Role{}
			}
			u.orgRoles[o.ID] = roles
			u.orgOrder = append(u.orgOrder, o.ID)
		}
		u.AppMetadata, u.UserMetadata = maps.Clone(u.AppMetadata), maps.Clone(u.UserMetadata)
		u.User.Roles, u.User.Organizations = nil, nil
		d.users = append(d.users, u)
		d.bySubject[u.subject] = u
	}
	return nil
}

// login finds the user whose email or username is name in connection.
func (d *directory) login(connection, name string) *user {
	return d.byLogin[connection+"\x00"+strings.ToLower(name)]
}

// permissions returns the user's permissions for the API aud: those of the
// tenant-level roles plus, when orgID is set, of the roles held in that
// organization; sorted, without duplicates.
func (u *user) permissions(aud, orgID string) []string {
	perms := []string{}
	add := func(roles []*Role) {
		for _, r := range roles {
			for _, p := range r.Permissions {
				if p.API == aud && !slices.Contains(perms, p.Name) {
					perms = append(perms, p.Name)
				}
			}
		}
	}
	add(u.roles)
	if orgID != "" {
		add(u.orgRoles[orgID])
	}
	slices.Sort(perms)
	return perms
}

// members returns the users that are members of the organization orgID.
func (d *directory) members(orgID string) []*user {
	var out []*user
	for _, u := range d.users {
		if _, ok := u.orgRoles[orgID]; ok {
			out = append(out, u)
		}
	}
	return out
}
