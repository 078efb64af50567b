package authtest

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"time"

	"github.com/tokengate/tokengate/verifier"
)

// Grant types the token endpoint understands.
const (
	GrantClientCredentials = "client_credentials"
	GrantPassword          = "password"
	GrantPasswordRealm     = "http://auth0.com/oauth/grant-type/password-realm"
	// GrantTokenExchange and GrantFederatedConnectionToken (exchange.go)
	// must be listed in Client.GrantTypes to be used.
)

// DefaultConnection is the database connection (password-realm "realm") of
// users that name none, as in a new Auth0 tenant.
const DefaultConnection = "Username-Password-Authentication"

// Config describes a tenant: who may ask for tokens, for which APIs, with
// which scopes and roles. The zero value is a working tenant with no clients
// and no users (discovery, JWKS and Mint still work). The tenant keeps its
// own copy: changing a Config after NewTenant has no effect.
type Config struct {
	// Addr is the listen address. Default "127.0.0.1:0" (a free loopback
	// port). Only loopback addresses are accepted: this is a test server.
	Addr string
	// TLS serves HTTPS with the self-signed certificate of net/http/httptest
	// instead of HTTP. Tenant.Client trusts it.
	TLS bool

	// Clients are the registered applications.
	Clients []Client
	// Users are the database users, for the password grants.
	Users []User
	// Roles are the RBAC roles that users and organization members hold.
	Roles []Role
	// Organizations are the Auth0 Organizations.
	Organizations []Organization
	// Invitations are pending invitations to organizations: the invitee
	// becomes a member (with the invitation's roles) by logging in with
	// the invitation and its organization (the password grant's
	// invitation and organization parameters, as Auth0's /authorize takes
	// them; LoginRequest.Invitation of client/authentication).
	Invitations []Invitation
	// APIs lists further API identifiers (audiences) the tenant issues
	// tokens for. APIs named in client grants and role permissions, and the
	// Management API, exist without being listed.
	APIs []string
	// DefaultAudience is the tenant's "Default Audience", used when a token
	// request names none.
	DefaultAudience string
	// CustomTokenTypes are the subject token types of the tenant's Custom
	// Token Exchange profiles (GrantTokenExchange). As on Auth0, a type in
	// the urn:ietf: namespace is refused.
	CustomTokenTypes []string

	// TokenTTL is the lifetime of access tokens. Default 24 h (Auth0's
	// default for an API).
	TokenTTL time.Duration
	// IDTokenTTL is the lifetime of ID tokens. Default 10 h.
	IDTokenTTL time.Duration

	// RSAKey is the first RS256 signing key; generated (2048 bits) when nil.
	// Passing one saves the key generation in tests that start many tenants.
	RSAKey *rsa.PrivateKey
	// ECKey is the ES256 key (P-256); generated when nil.
	ECKey *ecdsa.PrivateKey

	// JWKSCacheControl is the Cache-Control header of the JWKS endpoint.
	// Default "public, max-age=600".
	JWKSCacheControl string

	// Now is the clock for the claims the tenant issues. Default time.Now.
	Now func() time.Time

	// EncryptedAPIs lists the APIs whose access tokens the tenant
	// encrypts (a JWE of the signed token; see EncryptedAPI).
	EncryptedAPIs []EncryptedAPI
}

// Client is a registered application.
type Client struct {
	// ID is the client_id. Required.
	ID string
	// Name is the application's display name (informational).
	Name string
	// Secret is the client_secret. An empty Secret makes a public client: it
	// may use the password grants without authenticating and may not use
	// client_credentials.
	Secret string
	// AssertionKey, when set, lets the client authenticate with a
	// private_key_jwt client assertion signed by the matching private key
	// (make it with verifier.NewKey("", "RS256", &priv.PublicKey)). The
	// client is then confidential even without a Secret.
	AssertionKey *verifier.Key
	// GrantTypes lists the grant types the client may use. Default: all
	// three for a confidential client, the two password grants for a public
	// one.
	GrantTypes []string
	// Grants are the client grants: API identifier (audience) to the scopes
	// granted to this client for client_credentials.
	Grants map[string][]string
	// ManagementScopes grants the client the tenant's Management API
	// (audience Tenant.ManagementAudience) with these scopes, such as
	// "read:users" or "read:organization_members".
	ManagementScopes []string
	// Organizations lists the organizations (ID or name) the client may name
	// in a client_credentials request.
	Organizations []string // BackChannelLogoutURI, when set, receives the client's OpenID Connect
	// back-channel logouts (Tenant.BackChannelLogout): an http(s) URL on a
	// loopback host.
	BackChannelLogoutURI string
}

// User is a database user.
type User struct {
	// ID is the user's id. The token subject and Management API user_id is
	// "auth0|"+ID, unless ID already contains a "|". Required.
	ID string
	// Email is the login name for the password grants (compared without
	// regard to case). Required unless Username is set.
	Email         string
	EmailVerified bool
	// Username is an optional second login name.
	Username string
	// Password is compared in constant time. Required.
	Password string
	Name     string
	Nickname string
	Picture  string
	// Connection is the database connection the user belongs to (the
	// password-realm grant's realm). Default DefaultConnection.
	Connection string
	// Roles names the user's tenant-level roles (Role.Name or Role.ID).
	Roles []string
	// Organizations lists the organizations the user is a member of.
	Organizations []Membership
	// AppMetadata and UserMetadata are returned by the Management API.
	AppMetadata  map[string]any
	UserMetadata map[string]any // VaultConnections names the connections whose tokens the Token Vault
	// holds for the user (GrantFederatedConnectionToken).
	VaultConnections []string
}

// Membership makes a user a member of an organization, with roles that apply
// in that organization only.
type Membership struct {
	// Organization is the organization's ID or name.
	Organization string
	// Roles names the member's roles in that organization.
	Roles []string
}

// Role is an RBAC role.
type Role struct {
	// ID defaults to "rol_" followed by 16 hex digits derived from Name.
	ID string
	// Name is required and unique.
	Name        string
	Description string
	Permissions []Permission
}

// Permission is one permission of an API, granted through a role.
type Permission struct {
	// API is the API identifier (audience) the permission belongs to.
	API string
	// Name is the permission, such as "read:messages".
	Name string
}

// Organization is an Auth0 Organization.
type Organization struct {
	// ID defaults to "org_" followed by 16 hex digits derived from Name;
	// when given it must start with "org_".
	ID string
	// Name is required, unique and lower-case, as Auth0 requires: a
	// token's org_name claim carries it.
	Name        string
	DisplayName string
	Metadata    map[string]string
}

// Invitation invites a user to an organization, as Auth0's
// POST /api/v2/organizations/{id}/invitations does. Until the invitee logs
// in with it, the user is not a member: the token endpoint and the
// Management API reads do not see the membership. An invitation is used
// once.
type Invitation struct {
	// ID defaults to "uinv_" followed by 16 hex digits derived from the
	// organization and Email; when given it must start with "uinv_".
	ID string
	// Organization is the organization's ID or name. Required.
	Organization string
	// Email is the invitee's: a user of Users (authtest has no sign-up)
	// who is not already a member. Required.
	Email string
	// Roles names the roles the member will hold in the organization.
	Roles []string
}
