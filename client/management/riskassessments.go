package management

import (
	"context"
	"net/http"
)

// RiskAssessmentManager calls the /risk-assessments endpoints (go-auth0
// RiskAssessmentManager): the settings of risk assessment at login
// ({"enabled": true}) and of its new-device assessor ({"remember_for":
// 30}, in days), as Objects.
type RiskAssessmentManager struct{ m *Management }

// GetSettings returns the risk assessment settings (GET
// /risk-assessments/settings; go-auth0 RiskAssessmentManager.ReadSettings).
func (r *RiskAssessmentManager) GetSettings(ctx context.Context) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/risk-assessments/settings")})
}

// UpdateSettings changes them (PATCH /risk-assessments/settings; go-auth0
// RiskAssessmentManager.UpdateSettings).
func (r *RiskAssessmentManager) UpdateSettings(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/risk-assessments/settings"), body: body})
}

// GetNewDeviceSettings returns the new-device assessor's settings (GET
// /risk-assessments/settings/new-device; go-auth0
// RiskAssessmentManager.ReadNewDeviceSettings).
func (r *RiskAssessmentManager) GetNewDeviceSettings(ctx context.Context) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/risk-assessments/settings/new-device")})
}

// UpdateNewDeviceSettings changes them (PATCH
// /risk-assessments/settings/new-device; go-auth0
// RiskAssessmentManager.UpdateNewDeviceSettings).
func (r *RiskAssessmentManager) UpdateNewDeviceSettings(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/risk-assessments/settings/new-device"), body: body})
}
