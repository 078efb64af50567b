package management

import (
	"context"
	"net/http"
)

// AttackProtectionManager calls the /attack-protection endpoints (Python
// AttackProtection class). Each setting is an Object such as
// {"enabled": true, "shields": ["block", "user_notification"],
// "allowlist": [...], "max_attempts": 10}; an update sends only the members
// given.
type AttackProtectionManager struct{ m *Management }

func (r *AttackProtectionManager) get(ctx context.Context, setting string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/attack-protection/" + setting)})
}

func (r *AttackProtectionManager) update(ctx context.Context, setting string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/attack-protection/" + setting), body: body})
}

// GetBreachedPasswordDetection returns the breached password detection
// settings (GET /attack-protection/breached-password-detection; Python
// AttackProtection.get_breached_password_detection).
func (r *AttackProtectionManager) GetBreachedPasswordDetection(ctx context.Context) (Object, error) {
	return r.get(ctx, "breached-password-detection")
}

// UpdateBreachedPasswordDetection changes them (PATCH
// /attack-protection/breached-password-detection; Python
// AttackProtection.update_breached_password_detection).
func (r *AttackProtectionManager) UpdateBreachedPasswordDetection(ctx context.Context, body Object) (Object, error) {
	return r.update(ctx, "breached-password-detection", body)
}

// GetBruteForceProtection returns the brute-force protection settings (GET
// /attack-protection/brute-force-protection; Python
// AttackProtection.get_brute_force_protection).
func (r *AttackProtectionManager) GetBruteForceProtection(ctx context.Context) (Object, error) {
	return r.get(ctx, "brute-force-protection")
}

// UpdateBruteForceProtection changes them (PATCH
// /attack-protection/brute-force-protection; Python
// AttackProtection.update_brute_force_protection).
func (r *AttackProtectionManager) UpdateBruteForceProtection(ctx context.Context, body Object) (Object, error) {
	return r.update(ctx, "brute-force-protection", body)
}

// GetSuspiciousIPThrottling returns the suspicious IP throttling settings
// (GET /attack-protection/suspicious-ip-throttling; Python
// AttackProtection.get_suspicious_ip_throttling).
func (r *AttackProtectionManager) GetSuspiciousIPThrottling(ctx context.Context) (Object, error) {
	return r.get(ctx, "suspicious-ip-throttling")
}

// UpdateSuspiciousIPThrottling changes them (PATCH
// /attack-protection/suspicious-ip-throttling; Python
// AttackProtection.update_suspicious_ip_throttling).
func (r *AttackProtectionManager) UpdateSuspiciousIPThrottling(ctx context.Context, body Object) (Object, error) {
	return r.update(ctx, "suspicious-ip-throttling", body)
}

// GetBotDetection returns the bot detection settings
// (bot_detection_level, challenge_password_policy, allowlist, ...) (GET
// /attack-protection/bot-detection; recorded by go-auth0's tests after
// v1.32.0).
func (r *AttackProtectionManager) GetBotDetection(ctx context.Context) (Object, error) {
	return r.get(ctx, "bot-detection")
}

// UpdateBotDetection changes the bot detection settings (PATCH
// /attack-protection/bot-detection; recorded by go-auth0's tests after
// v1.32.0).
func (r *AttackProtectionManager) UpdateBotDetection(ctx context.Context, body Object) (Object, error) {
	return r.update(ctx, "bot-detection", body)
}
