package management

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
