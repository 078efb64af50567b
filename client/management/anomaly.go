package management

import (
	"context"
	"errors"
	"net/http"

	"github.com/tokengate/tokengate/client"
)

// AnomalyManager calls the /anomaly endpoints: the IP addresses blocked by
// brute-force protection (go-auth0 AnomalyManager).
type AnomalyManager struct{ m *Management }

// CheckIP reports whether an IP address is blocked after failed logins on
// several accounts (GET /anomaly/blocks/ips/{ip}: 200 blocked, 404 not;
// go-auth0 AnomalyManager.CheckIP). Any other answer is an error.
func (r *AnomalyManager) CheckIP(ctx context.Context, ip string) (bool, error) {
	err := r.m.do(ctx, request{method: http.MethodGet, path: route("/anomaly/blocks/ips/{ip}", ip)}, nil)
	var apiErr *client.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		return false, nil
	}
	return err == nil, err
}

// UnblockIP lifts the block of an IP address (DELETE
// /anomaly/blocks/ips/{ip}; go-auth0 AnomalyManager.UnblockIP).
func (r *AnomalyManager) UnblockIP(ctx context.Context, ip string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/anomaly/blocks/ips/{ip}", ip)}, nil)
}
