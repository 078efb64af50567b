package management

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/internal/rest"
)

// Management calls the Auth0 Management API v2 of one tenant. Its fields
// group the methods by resource, as the Auth0 SDKs do: m.Users.Get,
// m.Organizations.AddMembers, m.Roles.AssignPermissions, ... It is safe for
// concurrent use.
type Management struct {
	rest         *rest.Client
	tokens       tokenSource
	customDomain string // Auth0-Custom-Domain value; "" sends none

	ClientGrants      *ClientGrantManager
	Clients           *ClientManager
	Connections       *ConnectionManager
	DeviceCredentials *DeviceCredentialManager
	Grants            *GrantManager
	Jobs              *JobManager
	Logs              *LogManager
	Organizations     *OrganizationManager
	ResourceServers   *ResourceServerManager
	Roles             *RoleManager
	Tickets           *TicketManager
	UserBlocks        *UserBlockManager
	Users             *UserManager
	UsersByEmail      *UsersByEmailManager

	// Configuration-style resources (mostly Object-based).
	Actions             *ActionManager
	AttackProtection    *AttackProtectionManager
	Blacklists          *BlacklistManager
	Branding            *BrandingManager
	ClientCredentials   *ClientCredentialManager
	CustomDomains       *CustomDomainManager
	EmailTemplates      *EmailTemplateManager
	Emails              *EmailManager
	Guardian            *GuardianManager
	Hooks               *HookManager
	LogStreams          *LogStreamManager
	NetworkACLs         *NetworkACLManager
	Prompts             *PromptManager
	Rules               *RuleManager
	RulesConfigs        *RulesConfigManager
	SelfServiceProfiles *SelfServiceProfileManager
	Stats               *StatsManager
	Tenants             *TenantManager
}

// bind points every resource at m. A resource is a one-field struct holding
// its *Management, so copies of m (ForCustomDomain) rebind cheaply.
//
// Adding a resource: a type XxxManager struct{ m *Management } whose
// methods follow the package documentation and go through m.do (call and
// list for typed answers, walkOffset/walkCheckpoint for iterators, Object
// for configuration-style bodies); a field above and a line here; its rows
// of testdata/coverage.tsv filled in (then go test -run TestCoverageDoc
// -update); an entry per method in routes (routes_test.go); its class
// removed from pendingClasses (coverage_test.go).
func (m *Management) bind() {
	m.ClientGrants = &ClientGrantManager{m}
	m.Clients = &ClientManager{m}
	m.Connections = &ConnectionManager{m}
	m.DeviceCredentials = &DeviceCredentialManager{m}
	m.Grants = &GrantManager{m}
	m.Jobs = &JobManager{m}
	m.Logs = &LogManager{m}
	m.Organizations = &OrganizationManager{m}
	m.ResourceServers = &ResourceServerManager{m}
	m.Roles = &RoleManager{m}
	m.Tickets = &TicketManager{m}
	m.UserBlocks = &UserBlockManager{m}
	m.Users = &UserManager{m}
	m.UsersByEmail = &UsersByEmailManager{m}

	m.Actions = &ActionManager{m}
	m.AttackProtection = &AttackProtectionManager{m}
	m.Blacklists = &BlacklistManager{m}
	m.Branding = &BrandingManager{m}
	m.ClientCredentials = &ClientCredentialManager{m}
	m.CustomDomains = &CustomDomainManager{m}
	m.EmailTemplates = &EmailTemplateManager{m}
	m.Emails = &EmailManager{m}
	m.Guardian = &GuardianManager{m}
	m.Hooks = &HookManager{m}
	m.LogStreams = &LogStreamManager{m}
	m.NetworkACLs = &NetworkACLManager{m}
	m.Prompts = &PromptManager{m}
	m.Rules = &RuleManager{m}
	m.RulesConfigs = &RulesConfigManager{m}
	m.SelfServiceProfiles = &SelfServiceProfileManager{m}
	m.Stats = &StatsManager{m}
	m.Tenants = &TenantManager{m}
}

// ErrNoCredentials is returned by New when neither a token nor client
// credentials are configured.
var ErrNoCredentials = errors.New("management: a token (WithToken) or client credentials (WithClientCredentials, WithClientAssertion, WithAuthenticationClient) are required")

// New returns a Management API client for the tenant domain
// ("tenant.eu.auth0.com"). A domain given with a scheme
// ("http://127.0.0.1:8080") is used as the base URL as it is (see
// client.BaseURL: plain http only for loopback hosts). Exactly one source of
// tokens is required: WithToken, WithClientCredentials, WithClientAssertion
// (or WithClientAssertionPEM) or WithAuthenticationClient.
func New(domain string, opts ...Option) (*Management, error) {
	base, err := client.BaseURL(domain)
	if err != nil {
		return nil, err
	}
	cfg := config{now: time.Now}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.err != nil {
		return nil, cfg.err
	}
	rc, err := rest.New(base, "management", cfg.http)
	if err != nil {
		return nil, err
	}
	m := &Management{rest: rc, customDomain: cfg.customDomain}
	if m.tokens, err = cfg.tokenSource(rc.BaseURL()); err != nil {
		return nil, err
	}
	m.bind()
	return m, nil
}

// ForCustomDomain returns a copy of m that sends Auth0-Custom-Domain: domain
// (on the endpoints that accept it, see WithCustomDomain), or no such header
// when domain is "". The copy shares m's connection pool and token cache, so
// it is cheap enough to make per request, e.g. for the domain a multi-brand
// handler serves.
func (m *Management) ForCustomDomain(domain string) (*Management, error) {
	if err := checkCustomDomain(domain); err != nil {
		return nil, err
	}
	c := &Management{rest: m.rest, tokens: m.tokens, customDomain: domain}
	c.bind()
	return c, nil
}

// String describes m without credentials.
func (m *Management) String() string {
	s := "management.Management{" + m.rest.BaseURL() + " token=" + m.tokens.kind()
	if m.customDomain != "" {
		s += " custom_domain=" + m.customDomain
	}
	return s + "}"
}

// GoString is String, so %#v never prints a token.
func (m *Management) GoString() string { return m.String() }

// checkCustomDomain accepts a bare host name (no scheme, path or port
// syntax errors), as Auth0 expects in Auth0-Custom-Domain.
func checkCustomDomain(d string) error {
	if d == "" {
		return nil
	}
	if strings.Contains(d, "://") {
		return fmt.Errorf("management: custom domain %q must be a host name, without scheme", d)
	}
	if _, err := client.BaseURL(d); err != nil {
		return fmt.Errorf("management: custom domain %q is not a host name", d)
	}
	return nil
}
