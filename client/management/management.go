package management

import (
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

	// Resources newer than the Python SDK 4.13.0 reference (go-auth0
	// v1.32.0 and the recordings, see COVERAGE.md).
	Anomaly               *AnomalyManager
	EventStreams          *EventStreamManager
	Flows                 *FlowManager
	Forms                 *FormManager
	Keys                  *KeyManager
	RefreshTokens         *RefreshTokenManager
	RiskAssessments       *RiskAssessmentManager
	Sessions              *SessionManager
	TokenExchangeProfiles *TokenExchangeProfileManager
	UserAttributeProfiles *UserAttributeProfileManager
}

// bind points every resource at m. A resource is a one-field struct holding
// its *Management, so copies of m (ForCustomDomain) rebind cheaply.
//
// Adding a resource: a type XxxManager struct{ m *Management } whose
// methods follow the package documentation and go through m.do (call and
// list for typed answers, walkOffset/walkCheckpoint for iterators, Object
// for configuration-style bodies), in one file named for the resource's
// path (users.go: the manager, its options and its models; a resource
// over 400 lines keeps its models in users_model.go); a field above and a
// line here; a row per method in testdata/coverage.tsv, with its source,
// default query and body (then go test -run TestCoverageDoc -update).
// TestRoutes, TestReplay and the X22 walk derive their calls of a method
// from its row and signature (ctx, path parameters, then options or body;
// see replay_build_test.go); routes (routes_test.go) holds sample calls
// only where the arguments must be specific.
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

	m.Anomaly = &AnomalyManager{m}
	m.EventStreams = &EventStreamManager{m}
	m.Flows = &FlowManager{m}
	m.Forms = &FormManager{m}
	m.Keys = &KeyManager{m}
	m.RefreshTokens = &RefreshTokenManager{m}
	m.RiskAssessments = &RiskAssessmentManager{m}
	m.Sessions = &SessionManager{m}
	m.TokenExchangeProfiles = &TokenExchangeProfileManager{m}
	m.UserAttributeProfiles = &UserAttributeProfileManager{m}
}

// New returns a Management API client for the tenant domain
// ("tenant.eu.auth0.com"; a domain given with a scheme, such as
// "http://127.0.0.1:8080", is used as the base URL as it is, see
// client.BaseURL). cfg must name exactly one source of tokens (see
// Config); New validates it and the HTTP config.
func New(domain string, cfg Config) (*Management, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	return newManagement(domain, cfg, nil)
}

// newManagement is New once cfg is checked; tests give a fetcher in place
// of the client-credentials token client (then cfg needs no source).
func newManagement(domain string, cfg Config, f tokenFetcher) (*Management, error) {
	rc, err := rest.New(domain, "management", cfg.HTTP)
	if err != nil {
		return nil, err
	}
	if err := checkCustomDomain(cfg.CustomDomain); err != nil {
		return nil, err
	}
	m := &Management{rest: rc, customDomain: cfg.CustomDomain}
	if m.tokens, err = newTokenSource(rc, cfg, f); err != nil {
		return nil, err
	}
	m.bind()
	return m, nil
}

// ForCustomDomain returns a copy of m that sends Auth0-Custom-Domain: domain
// (on the endpoints that accept it, see Config.CustomDomain), or no such header
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
