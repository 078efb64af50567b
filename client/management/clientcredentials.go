package management

import (
	"context"
	"net/http"
)

// ClientCredentialManager calls the /clients/{client_id}/credentials
// endpoints (Python ClientCredentials class): the public keys and
// certificates an application authenticates with (private_key_jwt, mTLS),
// as Objects ({"id", "name", "credential_type", "kid", "alg", ...}).
type ClientCredentialManager struct{ m *Management }

// List lists an application's credentials (GET
// /clients/{client_id}/credentials; Python ClientCredentials.all).
func (r *ClientCredentialManager) List(ctx context.Context, clientID string) ([]Object, error) {
	var out []Object
	err := r.m.do(ctx, request{method: http.MethodGet, path: route("/clients/{client_id}/credentials", clientID)}, &out)
	return out, err
}

// Get returns a credential (GET /clients/{client_id}/credentials/{id};
// Python ClientCredentials.get).
func (r *ClientCredentialManager) Get(ctx context.Context, clientID, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/clients/{client_id}/credentials/{id}", clientID, id)})
}

// Create adds a credential to an application, for example
// {"credential_type": "public_key", "name": ..., "pem": ...} (POST
// /clients/{client_id}/credentials; Python ClientCredentials.create).
func (r *ClientCredentialManager) Create(ctx context.Context, clientID string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/clients/{client_id}/credentials", clientID), body: body})
}

// Delete removes a credential (DELETE /clients/{client_id}/credentials/{id};
// Python ClientCredentials.delete).
func (r *ClientCredentialManager) Delete(ctx context.Context, clientID, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/clients/{client_id}/credentials/{id}", clientID, id)}, nil)
}

// Update changes a credential (its name, expires_at) (PATCH
// /clients/{client_id}/credentials/{id}; go-auth0
// ClientManager.UpdateCredential).
func (r *ClientCredentialManager) Update(ctx context.Context, clientID, id string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/clients/{client_id}/credentials/{id}", clientID, id), body: body})
}
