package management

import (
	"context"
	"time"
)

// configRoutes calls each method of the configuration-style resources once
// with sample path parameters and nil (default) options, keyed like routes
// (routes_test.go) by the reference's Class.python_method; TestRoutesConfig
// checks what each sends against the reference row.
var configRoutes = map[string]func(ctx context.Context, m *Management) error{
	// Actions
	"Actions.get_actions": func(ctx context.Context, m *Management) error { _, err := m.Actions.List(ctx, nil); return err },
	"Actions.create_action": func(ctx context.Context, m *Management) error {
		_, err := m.Actions.Create(ctx, &Action{Name: "a"})
		return err
	},
	"Actions.update_action": func(ctx context.Context, m *Management) error {
		_, err := m.Actions.Update(ctx, "a1", &Action{Code: "x"})
		return err
	},
	"Actions.get_action":    func(ctx context.Context, m *Management) error { _, err := m.Actions.Get(ctx, "a1"); return err },
	"Actions.delete_action": func(ctx context.Context, m *Management) error { return m.Actions.Delete(ctx, "a1", false) },
	"Actions.get_triggers":  func(ctx context.Context, m *Management) error { _, err := m.Actions.ListTriggers(ctx); return err },
	"Actions.get_execution": func(ctx context.Context, m *Management) error {
		_, err := m.Actions.GetExecution(ctx, "e1")
		return err
	},
	"Actions.get_action_versions": func(ctx context.Context, m *Management) error {
		_, err := m.Actions.ListVersions(ctx, "a1", nil)
		return err
	},
	"Actions.get_trigger_bindings": func(ctx context.Context, m *Management) error {
		_, err := m.Actions.ListBindings(ctx, "post-login", nil)
		return err
	},
	"Actions.get_action_version": func(ctx context.Context, m *Management) error {
		_, err := m.Actions.GetVersion(ctx, "a1", "v1")
		return err
	},
	"Actions.deploy_action": func(ctx context.Context, m *Management) error { _, err := m.Actions.Deploy(ctx, "a1"); return err },
	"Actions.rollback_action_version": func(ctx context.Context, m *Management) error {
		_, err := m.Actions.RollbackVersion(ctx, "a1", "v1")
		return err
	},
	"Actions.update_trigger_bindings": func(ctx context.Context, m *Management) error {
		_, err := m.Actions.UpdateBindings(ctx, "post-login", nil)
		return err
	},
	// AttackProtection
	"AttackProtection.get_breached_password_detection": func(ctx context.Context, m *Management) error {
		_, err := m.AttackProtection.GetBreachedPasswordDetection(ctx)
		return err
	},
	"AttackProtection.update_breached_password_detection": func(ctx context.Context, m *Management) error {
		_, err := m.AttackProtection.UpdateBreachedPasswordDetection(ctx, Object{"enabled": true})
		return err
	},
	"AttackProtection.get_brute_force_protection": func(ctx context.Context, m *Management) error {
		_, err := m.AttackProtection.GetBruteForceProtection(ctx)
		return err
	},
	"AttackProtection.update_brute_force_protection": func(ctx context.Context, m *Management) error {
		_, err := m.AttackProtection.UpdateBruteForceProtection(ctx, Object{"enabled": true})
		return err
	},
	"AttackProtection.get_suspicious_ip_throttling": func(ctx context.Context, m *Management) error {
		_, err := m.AttackProtection.GetSuspiciousIPThrottling(ctx)
		return err
	},
	"AttackProtection.update_suspicious_ip_throttling": func(ctx context.Context, m *Management) error {
		_, err := m.AttackProtection.UpdateSuspiciousIPThrottling(ctx, Object{"enabled": true})
		return err
	},
	// Blacklists
	"Blacklists.get":    func(ctx context.Context, m *Management) error { _, err := m.Blacklists.List(ctx, ""); return err },
	"Blacklists.create": func(ctx context.Context, m *Management) error { return m.Blacklists.Create(ctx, "jti1", "aud1") },
	// Branding
	"Branding.get": func(ctx context.Context, m *Management) error { _, err := m.Branding.Get(ctx); return err },
	"Branding.update": func(ctx context.Context, m *Management) error {
		_, err := m.Branding.Update(ctx, Object{"logo_url": "x"})
		return err
	},
	"Branding.get_template_universal_login": func(ctx context.Context, m *Management) error {
		_, err := m.Branding.GetUniversalLoginTemplate(ctx)
		return err
	},
	"Branding.delete_template_universal_login": func(ctx context.Context, m *Management) error {
		return m.Branding.DeleteUniversalLoginTemplate(ctx)
	},
	"Branding.update_template_universal_login": func(ctx context.Context, m *Management) error {
		return m.Branding.UpdateUniversalLoginTemplate(ctx, "<html></html>")
	},
	"Branding.get_default_branding_theme": func(ctx context.Context, m *Management) error {
		_, err := m.Branding.GetDefaultTheme(ctx)
		return err
	},
	"Branding.get_branding_theme":    func(ctx context.Context, m *Management) error { _, err := m.Branding.GetTheme(ctx, "t1"); return err },
	"Branding.delete_branding_theme": func(ctx context.Context, m *Management) error { return m.Branding.DeleteTheme(ctx, "t1") },
	"Branding.update_branding_theme": func(ctx context.Context, m *Management) error {
		_, err := m.Branding.UpdateTheme(ctx, "t1", Object{"displayName": "x"})
		return err
	},
	"Branding.create_branding_theme": func(ctx context.Context, m *Management) error {
		_, err := m.Branding.CreateTheme(ctx, Object{"displayName": "x"})
		return err
	},
	// ClientCredentials
	"ClientCredentials.all": func(ctx context.Context, m *Management) error {
		_, err := m.ClientCredentials.List(ctx, "c1")
		return err
	},
	"ClientCredentials.get": func(ctx context.Context, m *Management) error {
		_, err := m.ClientCredentials.Get(ctx, "c1", "cred1")
		return err
	},
	"ClientCredentials.create": func(ctx context.Context, m *Management) error {
		_, err := m.ClientCredentials.Create(ctx, "c1", Object{"credential_type": "public_key"})
		return err
	},
	"ClientCredentials.delete": func(ctx context.Context, m *Management) error { return m.ClientCredentials.Delete(ctx, "c1", "cred1") },
	// CustomDomains
	"CustomDomains.all":    func(ctx context.Context, m *Management) error { _, err := m.CustomDomains.List(ctx, nil); return err },
	"CustomDomains.get":    func(ctx context.Context, m *Management) error { _, err := m.CustomDomains.Get(ctx, "cd1"); return err },
	"CustomDomains.delete": func(ctx context.Context, m *Management) error { return m.CustomDomains.Delete(ctx, "cd1") },
	"CustomDomains.create_new": func(ctx context.Context, m *Management) error {
		_, err := m.CustomDomains.Create(ctx, &CustomDomain{Domain: "login.example.com", Type: "auth0_managed_certs"})
		return err
	},
	"CustomDomains.verify": func(ctx context.Context, m *Management) error {
		_, err := m.CustomDomains.Verify(ctx, "cd1")
		return err
	},
	// EmailTemplates
	"EmailTemplates.create": func(ctx context.Context, m *Management) error {
		_, err := m.EmailTemplates.Create(ctx, Object{"template": "verify_email"})
		return err
	},
	"EmailTemplates.get": func(ctx context.Context, m *Management) error {
		_, err := m.EmailTemplates.Get(ctx, "verify_email")
		return err
	},
	"EmailTemplates.update": func(ctx context.Context, m *Management) error {
		_, err := m.EmailTemplates.Update(ctx, "verify_email", Object{"enabled": true})
		return err
	},
	// Emails
	"Emails.get": func(ctx context.Context, m *Management) error { _, err := m.Emails.GetProvider(ctx, nil); return err },
	"Emails.config": func(ctx context.Context, m *Management) error {
		_, err := m.Emails.CreateProvider(ctx, Object{"name": "smtp"})
		return err
	},
	"Emails.delete": func(ctx context.Context, m *Management) error { return m.Emails.DeleteProvider(ctx) },
	"Emails.update": func(ctx context.Context, m *Management) error {
		_, err := m.Emails.UpdateProvider(ctx, Object{"enabled": false})
		return err
	},
	// Guardian
	"Guardian.all_factors": func(ctx context.Context, m *Management) error { _, err := m.Guardian.ListFactors(ctx); return err },
	"Guardian.update_factor": func(ctx context.Context, m *Management) error {
		_, err := m.Guardian.UpdateFactor(ctx, "otp", Object{"enabled": true})
		return err
	},
	"Guardian.update_templates": func(ctx context.Context, m *Management) error {
		_, err := m.Guardian.UpdateSMSTemplates(ctx, Object{"enrollment_message": "x"})
		return err
	},
	"Guardian.get_templates": func(ctx context.Context, m *Management) error { _, err := m.Guardian.GetSMSTemplates(ctx); return err },
	"Guardian.get_enrollment": func(ctx context.Context, m *Management) error {
		_, err := m.Guardian.GetEnrollment(ctx, "dev_1")
		return err
	},
	"Guardian.delete_enrollment": func(ctx context.Context, m *Management) error { return m.Guardian.DeleteEnrollment(ctx, "dev_1") },
	"Guardian.create_enrollment_ticket": func(ctx context.Context, m *Management) error {
		_, err := m.Guardian.CreateEnrollmentTicket(ctx, Object{"user_id": "u1"})
		return err
	},
	"Guardian.get_factor_providers": func(ctx context.Context, m *Management) error {
		_, err := m.Guardian.GetFactorProvider(ctx, "sms", "twilio")
		return err
	},
	"Guardian.update_factor_providers": func(ctx context.Context, m *Management) error {
		_, err := m.Guardian.UpdateFactorProvider(ctx, "sms", "twilio", Object{"from": "+1555"})
		return err
	},
	// Hooks
	"Hooks.all": func(ctx context.Context, m *Management) error { _, err := m.Hooks.List(ctx, nil); return err },
	"Hooks.create": func(ctx context.Context, m *Management) error {
		_, err := m.Hooks.Create(ctx, &Hook{Name: "h"})
		return err
	},
	"Hooks.get":    func(ctx context.Context, m *Management) error { _, err := m.Hooks.Get(ctx, "h1", nil); return err },
	"Hooks.delete": func(ctx context.Context, m *Management) error { return m.Hooks.Delete(ctx, "h1") },
	"Hooks.update": func(ctx context.Context, m *Management) error {
		_, err := m.Hooks.Update(ctx, "h1", &Hook{Enabled: Bool(true)})
		return err
	},
	"Hooks.get_secrets": func(ctx context.Context, m *Management) error { _, err := m.Hooks.GetSecrets(ctx, "h1"); return err },
	"Hooks.add_secrets": func(ctx context.Context, m *Management) error {
		return m.Hooks.AddSecrets(ctx, "h1", map[string]string{"k": "v"})
	},
	"Hooks.delete_secrets": func(ctx context.Context, m *Management) error { return m.Hooks.DeleteSecrets(ctx, "h1", []string{"k"}) },
	"Hooks.update_secrets": func(ctx context.Context, m *Management) error {
		return m.Hooks.UpdateSecrets(ctx, "h1", map[string]string{"k": "v2"})
	},
	// LogStreams
	"LogStreams.list": func(ctx context.Context, m *Management) error { _, err := m.LogStreams.List(ctx); return err },
	"LogStreams.get":  func(ctx context.Context, m *Management) error { _, err := m.LogStreams.Get(ctx, "ls1"); return err },
	"LogStreams.create": func(ctx context.Context, m *Management) error {
		_, err := m.LogStreams.Create(ctx, &LogStream{Name: "s", Type: "http"})
		return err
	},
	"LogStreams.delete": func(ctx context.Context, m *Management) error { return m.LogStreams.Delete(ctx, "ls1") },
	"LogStreams.update": func(ctx context.Context, m *Management) error {
		_, err := m.LogStreams.Update(ctx, "ls1", &LogStream{Status: "active"})
		return err
	},
	// NetworkAcls
	"NetworkAcls.all": func(ctx context.Context, m *Management) error { _, err := m.NetworkACLs.List(ctx, nil); return err },
	"NetworkAcls.create": func(ctx context.Context, m *Management) error {
		_, err := m.NetworkACLs.Create(ctx, Object{"priority": 1})
		return err
	},
	"NetworkAcls.get":    func(ctx context.Context, m *Management) error { _, err := m.NetworkACLs.Get(ctx, "acl1"); return err },
	"NetworkAcls.delete": func(ctx context.Context, m *Management) error { return m.NetworkACLs.Delete(ctx, "acl1") },
	"NetworkAcls.update": func(ctx context.Context, m *Management) error {
		_, err := m.NetworkACLs.Replace(ctx, "acl1", Object{"priority": 1})
		return err
	},
	"NetworkAcls.update_partial": func(ctx context.Context, m *Management) error {
		_, err := m.NetworkACLs.Update(ctx, "acl1", Object{"priority": 2})
		return err
	},
	// Prompts
	"Prompts.get": func(ctx context.Context, m *Management) error { _, err := m.Prompts.Get(ctx); return err },
	"Prompts.update": func(ctx context.Context, m *Management) error {
		_, err := m.Prompts.Update(ctx, Object{"identifier_first": true})
		return err
	},
	"Prompts.get_custom_text": func(ctx context.Context, m *Management) error {
		_, err := m.Prompts.GetCustomText(ctx, "login", "en")
		return err
	},
	"Prompts.update_custom_text": func(ctx context.Context, m *Management) error {
		_, err := m.Prompts.UpdateCustomText(ctx, "login", "en", Object{"login": Object{"title": "Hi"}})
		return err
	},
	// Rules
	"Rules.all": func(ctx context.Context, m *Management) error { _, err := m.Rules.List(ctx, nil); return err },
	"Rules.create": func(ctx context.Context, m *Management) error {
		_, err := m.Rules.Create(ctx, &Rule{Name: "r"})
		return err
	},
	"Rules.get":    func(ctx context.Context, m *Management) error { _, err := m.Rules.Get(ctx, "rul_1", nil); return err },
	"Rules.delete": func(ctx context.Context, m *Management) error { return m.Rules.Delete(ctx, "rul_1") },
	"Rules.update": func(ctx context.Context, m *Management) error {
		_, err := m.Rules.Update(ctx, "rul_1", &Rule{Order: Int(2)})
		return err
	},
	// RulesConfigs
	"RulesConfigs.all":   func(ctx context.Context, m *Management) error { _, err := m.RulesConfigs.List(ctx); return err },
	"RulesConfigs.unset": func(ctx context.Context, m *Management) error { return m.RulesConfigs.Delete(ctx, "KEY") },
	"RulesConfigs.set": func(ctx context.Context, m *Management) error {
		_, err := m.RulesConfigs.Set(ctx, "KEY", "v")
		return err
	},
	// SelfServiceProfiles
	"SelfServiceProfiles.all": func(ctx context.Context, m *Management) error {
		_, err := m.SelfServiceProfiles.List(ctx, nil)
		return err
	},
	"SelfServiceProfiles.create": func(ctx context.Context, m *Management) error {
		_, err := m.SelfServiceProfiles.Create(ctx, Object{"name": "p"})
		return err
	},
	"SelfServiceProfiles.get": func(ctx context.Context, m *Management) error {
		_, err := m.SelfServiceProfiles.Get(ctx, "ssp_1")
		return err
	},
	"SelfServiceProfiles.delete": func(ctx context.Context, m *Management) error { return m.SelfServiceProfiles.Delete(ctx, "ssp_1") },
	"SelfServiceProfiles.update": func(ctx context.Context, m *Management) error {
		_, err := m.SelfServiceProfiles.Update(ctx, "ssp_1", Object{"name": "q"})
		return err
	},
	"SelfServiceProfiles.get_custom_text": func(ctx context.Context, m *Management) error {
		_, err := m.SelfServiceProfiles.GetCustomText(ctx, "ssp_1", "en", "get-started")
		return err
	},
	"SelfServiceProfiles.update_custom_text": func(ctx context.Context, m *Management) error {
		_, err := m.SelfServiceProfiles.UpdateCustomText(ctx, "ssp_1", "en", "get-started", Object{"introduction": "Hi"})
		return err
	},
	"SelfServiceProfiles.create_sso_ticket": func(ctx context.Context, m *Management) error {
		_, err := m.SelfServiceProfiles.CreateSSOTicket(ctx, "ssp_1", Object{"enabled_clients": []string{"c1"}})
		return err
	},
	"SelfServiceProfiles.revoke_sso_ticket": func(ctx context.Context, m *Management) error {
		return m.SelfServiceProfiles.RevokeSSOTicket(ctx, "ssp_1", "t1")
	},
	// Stats
	"Stats.active_users": func(ctx context.Context, m *Management) error { _, err := m.Stats.ActiveUsers(ctx); return err },
	"Stats.daily_stats": func(ctx context.Context, m *Management) error {
		_, err := m.Stats.Daily(ctx, time.Time{}, time.Time{})
		return err
	},
	// Tenants
	"Tenants.get": func(ctx context.Context, m *Management) error { _, err := m.Tenants.GetSettings(ctx, nil); return err },
	"Tenants.update": func(ctx context.Context, m *Management) error {
		_, err := m.Tenants.UpdateSettings(ctx, Object{"friendly_name": "x"})
		return err
	},
}
