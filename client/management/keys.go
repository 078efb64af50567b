package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// KeyManager calls the /keys endpoints: the tenant's signing keys (go-auth0
// SigningKeyManager: certificates, public) and encryption keys (go-auth0
// EncryptionKeyManager: the envelope keys of the tenant's data, with
// customer-provided root keys uploaded wrapped), as Objects.
type KeyManager struct{ m *Management }

// ListSigningKeys lists the signing keys (kid, cert, pkcs7, current, next,
// previous, revoked, ...) (GET /keys/signing; go-auth0
// SigningKeyManager.List).
func (r *KeyManager) ListSigningKeys(ctx context.Context) ([]Object, error) {
	var out []Object
	err := r.m.do(ctx, request{method: http.MethodGet, path: route("/keys/signing")}, &out)
	return out, err
}

// GetSigningKey returns a signing key (GET /keys/signing/{kid}; go-auth0
// SigningKeyManager.Read).
func (r *KeyManager) GetSigningKey(ctx context.Context, kid string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/keys/signing/{kid}", kid)})
}

// RotateSigningKey makes the next signing key current and creates a new
// next one (POST /keys/signing/rotate; go-auth0 SigningKeyManager.Rotate).
func (r *KeyManager) RotateSigningKey(ctx context.Context) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/keys/signing/rotate")})
}

// RevokeSigningKey revokes a previous signing key: tokens it signed stop
// verifying (PUT /keys/signing/{kid}/revoke; go-auth0
// SigningKeyManager.Revoke).
func (r *KeyManager) RevokeSigningKey(ctx context.Context, kid string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPut, path: route("/keys/signing/{kid}/revoke", kid)})
}

// ListEncryptionKeys lists the encryption keys (GET /keys/encryption;
// go-auth0 EncryptionKeyManager.List).
func (r *KeyManager) ListEncryptionKeys(ctx context.Context, opts *Offset) (*Page[Object], error) {
	q := url.Values{}
	opts.encode(q, listDefaults{})
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: route("/keys/encryption"), query: q}, "keys")
}

// AllEncryptionKeys iterates over ListEncryptionKeys.
func (r *KeyManager) AllEncryptionKeys(ctx context.Context, start *Offset) iter.Seq2[Object, error] {
	return walkOffset(ctx, deref(start), func(ctx context.Context, o *Offset) (*Page[Object], error) {
		return r.ListEncryptionKeys(ctx, o)
	})
}

// CreateEncryptionKey creates an encryption key ({"type":
// "customer-provided-root-key"} or {"type": "tenant-encryption-key"})
// (POST /keys/encryption; go-auth0 EncryptionKeyManager.Create).
func (r *KeyManager) CreateEncryptionKey(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/keys/encryption"), body: body})
}

// GetEncryptionKey returns an encryption key (GET /keys/encryption/{kid};
// go-auth0 EncryptionKeyManager.Read).
func (r *KeyManager) GetEncryptionKey(ctx context.Context, kid string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/keys/encryption/{kid}", kid)})
}

// DeleteEncryptionKey deletes an encryption key (DELETE
// /keys/encryption/{kid}; go-auth0 EncryptionKeyManager.Delete).
func (r *KeyManager) DeleteEncryptionKey(ctx context.Context, kid string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/keys/encryption/{kid}", kid)}, nil)
}

// RekeyEncryptionKeys replaces the tenant's root and tenant keys (POST
// /keys/encryption/rekey; go-auth0 EncryptionKeyManager.Rekey).
func (r *KeyManager) RekeyEncryptionKeys(ctx context.Context) error {
	return r.m.do(ctx, request{method: http.MethodPost, path: route("/keys/encryption/rekey")}, nil)
}

// ImportEncryptionKey uploads the key material of a customer-provided
// root key, wrapped with the public key of CreateWrappingKey (base64)
// (POST /keys/encryption/{kid} with {"wrapped_key": wrappedKey}; go-auth0
// EncryptionKeyManager.ImportWrappedKey).
func (r *KeyManager) ImportEncryptionKey(ctx context.Context, kid, wrappedKey string) (Object, error) {
	body := struct {
		WrappedKey string `json:"wrapped_key"`
	}{wrappedKey}
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/keys/encryption/{kid}", kid), body: body})
}

// CreateWrappingKey returns the public key to wrap a customer-provided root
// key with ({"public_key", "algorithm"}) (POST
// /keys/encryption/{kid}/wrapping-key; go-auth0
// EncryptionKeyManager.CreatePublicWrappingKey).
func (r *KeyManager) CreateWrappingKey(ctx context.Context, kid string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/keys/encryption/{kid}/wrapping-key", kid)})
}
