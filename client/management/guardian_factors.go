package management

import (
	"context"
	"net/http"
)

// The settings of Guardian factors beyond their state and providers: each
// factor's own settings, the selected provider of the phone and push
// factors, the phone message types, the MFA policies and the push
// notification app.

// GetFactorSettings returns a factor's settings: duo ({"ikey", "skey",
// "host"}: skey is a secret), webauthn-roaming ({"userVerification",
// "overrideRelyingParty", ...}) or webauthn-platform (GET
// /guardian/factors/{factor}/settings; go-auth0 MultiFactorDUO.Read,
// MultiFactorWebAuthnRoaming.Read, MultiFactorWebAuthnPlatform.Read).
func (r *GuardianManager) GetFactorSettings(ctx context.Context, factor string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/guardian/factors/{factor}/settings", factor)})
}

// UpdateFactorSettings sets a factor's settings (PUT
// /guardian/factors/{factor}/settings; go-auth0 MultiFactorDUO.Update,
// MultiFactorWebAuthnRoaming.Update, MultiFactorWebAuthnPlatform.Update).
func (r *GuardianManager) UpdateFactorSettings(ctx context.Context, factor string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPut, path: route("/guardian/factors/{factor}/settings", factor), body: body})
}

// GetSelectedProvider returns the provider a factor uses ({"provider":
// "twilio"}), for phone and push-notification (GET
// /guardian/factors/{factor}/selected-provider; go-auth0
// MultiFactorPhone.Provider, MultiFactorPush.Provider).
func (r *GuardianManager) GetSelectedProvider(ctx context.Context, factor string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/guardian/factors/{factor}/selected-provider", factor)})
}

// SetSelectedProvider chooses the provider of a factor: for phone auth0,
// twilio or phone-message-hook; for push-notification guardian, sns or
// direct (PUT /guardian/factors/{factor}/selected-provider with
// {"provider": provider}; go-auth0 MultiFactorPhone.UpdateProvider,
// MultiFactorPush.UpdateProvider).
func (r *GuardianManager) SetSelectedProvider(ctx context.Context, factor, provider string) (Object, error) {
	body := struct {
		Provider string `json:"provider"`
	}{provider}
	return callObject(ctx, r.m, request{method: http.MethodPut, path: route("/guardian/factors/{factor}/selected-provider", factor), body: body})
}

// GetPhoneMessageTypes returns the message types of the phone factor
// ({"message_types": ["sms", "voice"]}) (GET
// /guardian/factors/phone/message-types; go-auth0
// MultiFactorPhone.MessageTypes).
func (r *GuardianManager) GetPhoneMessageTypes(ctx context.Context) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/guardian/factors/phone/message-types")})
}

// SetPhoneMessageTypes sets them (PUT /guardian/factors/phone/message-types
// with {"message_types": messageTypes}; go-auth0
// MultiFactorPhone.UpdateMessageTypes).
func (r *GuardianManager) SetPhoneMessageTypes(ctx context.Context, messageTypes []string) (Object, error) {
	if messageTypes == nil {
		messageTypes = []string{}
	}
	body := struct {
		MessageTypes []string `json:"message_types"`
	}{messageTypes}
	return callObject(ctx, r.m, request{method: http.MethodPut, path: route("/guardian/factors/phone/message-types"), body: body})
}

// GetPolicies returns the MFA policies: [] (never), ["all-applications"]
// or ["confidence-score"] (GET /guardian/policies; go-auth0
// MultiFactorManager.Policy).
func (r *GuardianManager) GetPolicies(ctx context.Context) ([]string, error) {
	var out []string
	err := r.m.do(ctx, request{method: http.MethodGet, path: route("/guardian/policies")}, &out)
	return out, err
}

// SetPolicies sets them; nil sends [] (PUT /guardian/policies; go-auth0
// MultiFactorManager.UpdatePolicy).
func (r *GuardianManager) SetPolicies(ctx context.Context, policies []string) ([]string, error) {
	if policies == nil {
		policies = []string{}
	}
	var out []string
	err := r.m.do(ctx, request{method: http.MethodPut, path: route("/guardian/policies"), body: policies}, &out)
	return out, err
}

// GetPushApp returns the app that push notifications open ({"app_name",
// "apple_app_link", "google_app_link"}) (GET /prompts/mfa-push; go-auth0
// MultiFactorPush.CustomApp).
func (r *GuardianManager) GetPushApp(ctx context.Context) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/prompts/mfa-push")})
}

// UpdatePushApp changes it (PATCH /prompts/mfa-push; go-auth0
// MultiFactorPush.UpdateCustomApp).
func (r *GuardianManager) UpdatePushApp(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/prompts/mfa-push"), body: body})
}
