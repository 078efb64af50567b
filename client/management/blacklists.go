package management

import (
	"context"
	"net/http"
	"net/url"
)

// BlacklistedToken is a revoked token ID (jti) of an audience.
type BlacklistedToken struct {
	Audience string `json:"aud,omitempty"`
	JTI      string `json:"jti,omitempty"`
	Extra    Object `json:"-"`
	empty    emptyMembers
}

func (b *BlacklistedToken) UnmarshalJSON(data []byte) error {
	type plain BlacklistedToken
	return unmarshalModel(data, (*plain)(b), &b.Extra, &b.empty)
}

func (b BlacklistedToken) MarshalJSON() ([]byte, error) {
	type plain BlacklistedToken
	return marshalModel((*plain)(&b), b.Extra, b.empty)
}

// BlacklistManager calls the /blacklists/tokens endpoints (Python
// Blacklists class; deprecated by Auth0, and absent from the Python SDK
// 5.x).
type BlacklistManager struct{ m *Management }

// List lists the blacklisted token IDs, of the audience aud ("" for the
// audience of the calling application) (GET /blacklists/tokens; Python
// Blacklists.get).
func (r *BlacklistManager) List(ctx context.Context, aud string) ([]*BlacklistedToken, error) {
	q := url.Values{}
	setString(q, "aud", aud)
	var out []*BlacklistedToken
	err := r.m.do(ctx, request{method: http.MethodGet, path: route("/blacklists/tokens"), query: q}, &out)
	return out, err
}

// Create blacklists the token ID jti of the audience aud ("" for the
// audience of the calling application): the API then refuses that token
// (POST /blacklists/tokens with {"jti", "aud"}; Python Blacklists.create).
func (r *BlacklistManager) Create(ctx context.Context, jti, aud string) error {
	return r.m.do(ctx, request{method: http.MethodPost, path: route("/blacklists/tokens"), body: &BlacklistedToken{JTI: jti, Audience: aud}}, nil)
}
