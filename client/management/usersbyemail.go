package management

import (
	"context"
	"net/http"
	"net/url"
)

// UsersByEmailManager calls GET /users-by-email (Python UsersByEmail
// class).
type UsersByEmailManager struct{ m *Management }

// Search returns the users with an email address, across connections
// (GET /users-by-email; Python UsersByEmail.search_users_by_email). The
// match is case-sensitive unless the address is all lowercase.
func (r *UsersByEmailManager) Search(ctx context.Context, email string, opts *FieldSelection) ([]*User, error) {
	q := url.Values{"email": {email}}
	opts.encode(q)
	var out []*User
	err := r.m.do(ctx, request{method: http.MethodGet, path: route("/users-by-email"), query: q}, &out)
	return out, err
}
