package management

import (
	"context"
	"net/http"
	"net/url"
)

// UserBlocks lists the brute-force protection blocks of a user or an
// identifier.
type UserBlocks struct {
	BlockedFor []*UserBlock `json:"blocked_for,omitzero"`
	Extra      Object       `json:"-"`
	empty      emptyMembers
}

func (u *UserBlocks) UnmarshalJSON(b []byte) error {
	type plain UserBlocks
	return unmarshalModel(b, (*plain)(u), &u.Extra, &u.empty)
}

func (u UserBlocks) MarshalJSON() ([]byte, error) {
	type plain UserBlocks
	return marshalModel((*plain)(&u), u.Extra, u.empty)
}

// UserBlock is one block: an identifier blocked from an IP address.
type UserBlock struct {
	Identifier   string `json:"identifier,omitempty"`
	IP           string `json:"ip,omitempty"`
	ConnectionID string `json:"connection,omitempty"`
	Extra        Object `json:"-"`
	empty        emptyMembers
}

func (u *UserBlock) UnmarshalJSON(b []byte) error {
	type plain UserBlock
	return unmarshalModel(b, (*plain)(u), &u.Extra, &u.empty)
}

func (u UserBlock) MarshalJSON() ([]byte, error) {
	type plain UserBlock
	return marshalModel((*plain)(&u), u.Extra, u.empty)
}

// UserBlockManager calls the /user-blocks endpoints (Python UserBlocks
// class).
type UserBlockManager struct{ m *Management }

// ListByIdentifier returns the blocks of an identifier (username, phone
// number or email) (GET /user-blocks?identifier=; Python
// UserBlocks.get_by_identifier).
func (r *UserBlockManager) ListByIdentifier(ctx context.Context, identifier string) (*UserBlocks, error) {
	return call[UserBlocks](ctx, r.m, request{method: http.MethodGet, path: route("/user-blocks"), query: url.Values{"identifier": {identifier}}})
}

// UnblockByIdentifier removes the blocks of an identifier
// (DELETE /user-blocks?identifier=; Python UserBlocks.unblock_by_identifier).
func (r *UserBlockManager) UnblockByIdentifier(ctx context.Context, identifier string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/user-blocks"), query: url.Values{"identifier": {identifier}}}, nil)
}

// Get returns the blocks of a user (GET /user-blocks/{id}; Python
// UserBlocks.get).
func (r *UserBlockManager) Get(ctx context.Context, userID string) (*UserBlocks, error) {
	return call[UserBlocks](ctx, r.m, request{method: http.MethodGet, path: route("/user-blocks/{id}", userID)})
}

// Unblock removes the blocks of a user (DELETE /user-blocks/{id}; Python
// UserBlocks.unblock).
func (r *UserBlockManager) Unblock(ctx context.Context, userID string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/user-blocks/{id}", userID)}, nil)
}
