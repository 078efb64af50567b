package authentication

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// UserInfo is the answer of /userinfo: the OpenID Connect standard claims,
// and every other member in Extra.
type UserInfo struct {
	Subject             string          `json:"sub"`
	Name                string          `json:"name,omitempty"`
	GivenName           string          `json:"given_name,omitempty"`
	FamilyName          string          `json:"family_name,omitempty"`
	MiddleName          string          `json:"middle_name,omitempty"`
	Nickname            string          `json:"nickname,omitempty"`
	PreferredUsername   string          `json:"preferred_username,omitempty"`
	Profile             string          `json:"profile,omitempty"`
	Picture             string          `json:"picture,omitempty"`
	Website             string          `json:"website,omitempty"`
	Email               string          `json:"email,omitempty"`
	EmailVerified       bool            `json:"email_verified,omitempty"`
	Gender              string          `json:"gender,omitempty"`
	Birthdate           string          `json:"birthdate,omitempty"`
	Zoneinfo            string          `json:"zoneinfo,omitempty"`
	Locale              string          `json:"locale,omitempty"`
	PhoneNumber         string          `json:"phone_number,omitempty"`
	PhoneNumberVerified bool            `json:"phone_number_verified,omitempty"`
	Address             json.RawMessage `json:"address,omitempty"`
	UpdatedAt           string          `json:"updated_at,omitempty"` // Auth0 sends an ISO 8601 string
	// Extra holds the members not listed above (custom claims, org_id, ...).
	Extra map[string]json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the standard claims and keeps the others in Extra.
func (u *UserInfo) UnmarshalJSON(b []byte) error {
	type plain UserInfo
	if err := json.Unmarshal(b, (*plain)(u)); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	for k := range all {
		// encoding/json matched struct fields case-insensitively; so do we.
		for _, std := range [...]string{"sub", "name", "given_name", "family_name", "middle_name", "nickname",
			"preferred_username", "profile", "picture", "website", "email", "email_verified", "gender",
			"birthdate", "zoneinfo", "locale", "phone_number", "phone_number_verified", "address", "updated_at"} {
			if strings.EqualFold(k, std) {
				delete(all, k)
				break
			}
		}
	}
	if len(all) > 0 {
		u.Extra = all
	} else {
		u.Extra = nil
	}
	return nil
}

// MarshalJSON writes the standard claims and the Extra members (a standard
// claim wins over an Extra member of the same name).
func (u UserInfo) MarshalJSON() ([]byte, error) {
	type plain UserInfo
	b, err := json.Marshal(plain(u))
	if err != nil || len(u.Extra) == 0 {
		return b, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	for k, v := range u.Extra {
		if _, ok := all[k]; !ok {
			all[k] = v
		}
	}
	return json.Marshal(all)
}

// UserInfo returns the profile of the user an access token was issued to
// (Python Users.userinfo). It needs no client ID.
func (c *Client) UserInfo(ctx context.Context, accessToken string) (*UserInfo, error) {
	if accessToken == "" {
		return nil, errors.New("authentication: UserInfo: empty access token")
	}
	var u UserInfo
	h := http.Header{"Authorization": {"Bearer " + accessToken}}
	if _, err := c.do(ctx, call{method: http.MethodGet, path: "/userinfo", header: h}, &u); err != nil {
		return nil, err
	}
	return &u, nil
}
