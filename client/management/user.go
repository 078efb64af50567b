package management

import "time"

// User is an Auth0 user (GET /users/{id}), also the body of Users.Create and
// Users.Update. Fields the API may omit are pointers or omitted when empty;
// members without a field are kept in Extra.
type User struct {
	ID            string      `json:"user_id,omitempty"`
	Connection    string      `json:"connection,omitempty"` // create and update only
	ClientID      string      `json:"client_id,omitempty"`  // create and update only
	Email         string      `json:"email,omitempty"`
	EmailVerified *bool       `json:"email_verified,omitempty"`
	VerifyEmail   *bool       `json:"verify_email,omitempty"` // create and update only
	Username      string      `json:"username,omitempty"`
	PhoneNumber   string      `json:"phone_number,omitempty"`
	PhoneVerified *bool       `json:"phone_verified,omitempty"`
	Password      string      `json:"password,omitempty"` // create and update only
	Name          string      `json:"name,omitempty"`
	GivenName     string      `json:"given_name,omitempty"`
	FamilyName    string      `json:"family_name,omitempty"`
	Nickname      string      `json:"nickname,omitempty"`
	Picture       string      `json:"picture,omitempty"`
	Blocked       *bool       `json:"blocked,omitempty"`
	CreatedAt     *time.Time  `json:"created_at,omitempty"`
	UpdatedAt     *time.Time  `json:"updated_at,omitempty"`
	LastLogin     *time.Time  `json:"last_login,omitempty"`
	LastIP        string      `json:"last_ip,omitempty"`
	LoginsCount   *int        `json:"logins_count,omitempty"`
	Multifactor   []string    `json:"multifactor,omitzero"`
	Identities    []*Identity `json:"identities,omitzero"`
	AppMetadata   Object      `json:"app_metadata,omitzero"`
	UserMetadata  Object      `json:"user_metadata,omitzero"`
	// Roles is filled by organization member lists asked with
	// fields=roles.
	Roles []*Role `json:"roles,omitzero"`
	Extra Object  `json:"-"`
}

func (u *User) UnmarshalJSON(b []byte) error {
	type plain User
	return unmarshalModel(b, (*plain)(u), &u.Extra)
}

func (u User) MarshalJSON() ([]byte, error) {
	type plain User
	return marshalModel((*plain)(&u), u.Extra)
}

// Identity is one of a user's identities (a linked account).
type Identity struct {
	Connection string `json:"connection,omitempty"`
	// UserID is the identity's ID at its provider: a string for most, a
	// number for some (GitHub).
	UserID       StringOrNumber `json:"user_id,omitzero"`
	Provider     string         `json:"provider,omitempty"`
	IsSocial     *bool          `json:"isSocial,omitempty"`
	AccessToken  string         `json:"access_token,omitempty"`
	RefreshToken string         `json:"refresh_token,omitempty"`
	ExpiresIn    *int           `json:"expires_in,omitempty"`
	ProfileData  Object         `json:"profileData,omitzero"`
	Extra        Object         `json:"-"`
}

func (i *Identity) UnmarshalJSON(b []byte) error {
	type plain Identity
	return unmarshalModel(b, (*plain)(i), &i.Extra)
}

func (i Identity) MarshalJSON() ([]byte, error) {
	type plain Identity
	return marshalModel((*plain)(&i), i.Extra)
}

// Role is a role (GET /roles/{id}), also a user's or organization member's
// role, and the body of Roles.Create and Roles.Update.
type Role struct {
	ID          string  `json:"id,omitempty"`
	Name        string  `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
	Extra       Object  `json:"-"`
}

func (r *Role) UnmarshalJSON(b []byte) error {
	type plain Role
	return unmarshalModel(b, (*plain)(r), &r.Extra)
}

func (r Role) MarshalJSON() ([]byte, error) {
	type plain Role
	return marshalModel((*plain)(&r), r.Extra)
}
