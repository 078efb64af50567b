package authtest

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tokengate/tokengate/verifier"
)

// The Management API endpoints the tenant serves, with the scope each needs
// (the scopes Auth0 documents for them).
func (t *Tenant) managementRoutes(mux *http.ServeMux) {
	mux.Handle("GET /api/v2/users/{id}", t.management("read:users", t.getUser))
	mux.Handle("GET /api/v2/users/{id}/roles", t.management("read:roles", t.getUserRoles))
	mux.Handle("GET /api/v2/users/{id}/organizations", t.management("read:organizations", t.getUserOrganizations))
	mux.Handle("GET /api/v2/organizations/{id}", t.management("read:organizations", t.getOrganization))
	mux.Handle("GET /api/v2/organizations/{id}/members", t.management("read:organization_members", t.getMembers))
	mux.Handle("GET /api/v2/organizations/{id}/members/{user_id}/roles", t.management("read:organization_member_roles", t.getMemberRoles))
	mux.HandleFunc("/api/v2/", func(w http.ResponseWriter, _ *http.Request) {
		writeAPIError(w, http.StatusNotFound, "Not Found", "")
	})
}

// writeAPIError answers in the Management API's error shape:
// {"statusCode", "error", "message", "errorCode"}.
func writeAPIError(w http.ResponseWriter, status int, message, code string) {
	body := map[string]any{"statusCode": status, "error": http.StatusText(status), "message": message}
	if code != "" {
		body["errorCode"] = code
	}
	writeJSON(w, status, body)
}

// management checks the bearer token as the Management API does (issued by
// this tenant for ManagementAudience, carrying scope) before calling next.
func (t *Tenant) management(scope string, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := bearerToken(r)
		if !ok {
			writeAPIError(w, http.StatusUnauthorized, "Missing authentication", "")
			return
		}
		claims, err := t.mgmtVerifier.Verify(r.Context(), tok)
		switch {
		case errors.Is(err, verifier.ErrExpired):
			writeAPIError(w, http.StatusUnauthorized, "Expired token received for JSON Web Token validation", "")
			return
		case errors.Is(err, verifier.ErrAudience):
			writeAPIError(w, http.StatusUnauthorized, "Bad audience", "")
			return
		case err != nil:
			writeAPIError(w, http.StatusUnauthorized, "Invalid token", "")
			return
		}
		if !claims.HasScope(scope) {
			writeAPIError(w, http.StatusForbidden, "Insufficient scope, expected any of: "+scope, "insufficient_scope")
			return
		}
		next(w, r)
	})
}

func (t *Tenant) userByPath(w http.ResponseWriter, r *http.Request) *user {
	u := t.dir.bySubject[r.PathValue("id")]
	if u == nil {
		writeAPIError(w, http.StatusNotFound, "The user does not exist.", "inexistent_user")
	}
	return u
}

func (t *Tenant) orgByPath(w http.ResponseWriter, r *http.Request) *Organization {
	o := t.dir.orgByID[r.PathValue("id")]
	if o == nil {
		writeAPIError(w, http.StatusNotFound, "No organization found by that id or name", "")
	}
	return o
}

func (t *Tenant) getUser(w http.ResponseWriter, r *http.Request) {
	u := t.userByPath(w, r)
	if u == nil {
		return
	}
	provider, id, _ := strings.Cut(u.subject, "|")
	body := map[string]any{
		"user_id":        u.subject,
		"email":          u.Email,
		"email_verified": u.EmailVerified,
		"name":           u.Name,
		"nickname":       u.Nickname,
		"identities": []map[string]any{
			{"connection": u.Connection, "user_id": id, "provider": provider, "isSocial": false},
		},
		"app_metadata":  nonNilMap(u.AppMetadata),
		"user_metadata": nonNilMap(u.UserMetadata),
		"blocked":       false,
	}
	if u.Username != "" {
		body["username"] = u.Username
	}
	if u.Picture != "" {
		body["picture"] = u.Picture
	}
	writeJSON(w, http.StatusOK, body)
}

func nonNilMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func roleObjects(roles []*Role) []map[string]string {
	out := make([]map[string]string, len(roles))
	for i, r := range roles {
		out[i] = map[string]string{"id": r.ID, "name": r.Name, "description": r.Description}
	}
	return out
}

func (t *Tenant) getUserRoles(w http.ResponseWriter, r *http.Request) {
	if u := t.userByPath(w, r); u != nil {
		writePage(w, r.URL.Query(), "roles", roleObjects(u.roles), false)
	}
}

func (t *Tenant) getOrganization(w http.ResponseWriter, r *http.Request) {
	if o := t.orgByPath(w, r); o != nil {
		writeJSON(w, http.StatusOK, organizationObject(o))
	}
}

func organizationObject(o *Organization) map[string]any {
	body := map[string]any{"id": o.ID, "name": o.Name, "display_name": o.DisplayName}
	if len(o.Metadata) > 0 {
		body["metadata"] = o.Metadata
	}
	return body
}

// getUserOrganizations lists the organizations the user is a member of
// now, in Config order.
func (t *Tenant) getUserOrganizations(w http.ResponseWriter, r *http.Request) {
	u := t.userByPath(w, r)
	if u == nil {
		return
	}
	orgs := []map[string]any{}
	for _, id := range u.orgOrder {
		if _, member := t.member(u, id); member {
			orgs = append(orgs, organizationObject(t.dir.orgByID[id]))
		}
	}
	writePage(w, r.URL.Query(), "organizations", orgs, false)
}

func (t *Tenant) getMembers(w http.ResponseWriter, r *http.Request) {
	o := t.orgByPath(w, r)
	if o == nil {
		return
	}
	var members []map[string]string
	for _, u := range t.dir.members(o.ID) {
		if _, member := t.member(u, o.ID); !member {
			continue // removed by RemoveMember
		}
		m := map[string]string{"user_id": u.subject, "email": u.Email, "name": u.Name}
		if u.Picture != "" {
			m["picture"] = u.Picture
		}
		members = append(members, m)
	}
	writePage(w, r.URL.Query(), "members", members, true)
}

func (t *Tenant) getMemberRoles(w http.ResponseWriter, r *http.Request) {
	o := t.orgByPath(w, r)
	if o == nil {
		return
	}
	u := t.dir.bySubject[r.PathValue("user_id")]
	var roles []*Role
	var member bool
	if u != nil {
		roles, member = t.member(u, o.ID)
	}
	if !member {
		writeAPIError(w, http.StatusNotFound, "The user is not a member of the organization.", "")
		return
	}
	writePage(w, r.URL.Query(), "roles", roleObjects(roles), false)
}

// paging is a parsed pagination query. Checkpoint pagination (from/take)
// is used when the query has either parameter and the endpoint supports it;
// otherwise offset pagination (page/per_page/include_totals).
type paging struct {
	checkpoint bool
	start      int // index of the first item
	size       int // items per page
	totals     bool
}

const (
	defaultPageSize = 50
	maxPageSize     = 100
	cursorPrefix    = "authtest:"
)

var errQuery = errors.New("invalid query")

// parsePaging reads the pagination parameters of q.
func parsePaging(q url.Values, checkpointOK bool) (paging, error) {
	p := paging{size: defaultPageSize}
	if checkpointOK && (q.Has("from") || q.Has("take")) {
		p.checkpoint = true
		if s := q.Get("take"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > maxPageSize {
				return p, errQuery
			}
			p.size = n
		}
		if from := q.Get("from"); from != "" {
			n, ok := decodeCursor(from)
			if !ok {
				return p, errQuery
			}
			p.start = n
		}
		return p, nil
	}
	page := 0
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 1<<20 {
			return p, errQuery
		}
		page = n
	}
	if s := q.Get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPageSize {
			return p, errQuery
		}
		p.size = n
	}
	switch q.Get("include_totals") {
	case "", "false":
	case "true":
		p.totals = true
	default:
		return p, errQuery
	}
	p.start = page * p.size
	return p, nil
}

// Checkpoint cursors are opaque to clients, as Auth0's are; here they
// encode the index of the next item.
func encodeCursor(i int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(i)))
}

func decodeCursor(s string) (int, bool) {
	if len(s) > 64 {
		return 0, false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		return 0, false
	}
	digits, ok := strings.CutPrefix(string(b), cursorPrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	// Only the canonical encoding is a cursor: the base64 decoder skips
	// \r and \n, and Atoi takes "+1" and "01".
	if err != nil || n < 0 || encodeCursor(n) != s {
		return 0, false
	}
	return n, true
}

// writePage answers with one page of items: a bare array, or an object
// {key, start, limit, total} with include_totals, or {key, next} for
// checkpoint pagination (next absent on the last page).
func writePage[T any](w http.ResponseWriter, q url.Values, key string, items []T, checkpointOK bool) {
	p, err := parsePaging(q, checkpointOK)
	if err != nil {
		writeAPIError(w, http.StatusBadRequest, "Query validation error: invalid pagination parameters", "invalid_query_string")
		return
	}
	start := min(p.start, len(items))
	end := min(start+p.size, len(items))
	page := append([]T{}, items[start:end]...)
	switch {
	case p.checkpoint:
		body := map[string]any{key: page}
		if end < len(items) {
			body["next"] = encodeCursor(end)
		}
		writeJSON(w, http.StatusOK, body)
	case p.totals:
		writeJSON(w, http.StatusOK, map[string]any{key: page, "start": p.start, "limit": p.size, "total": len(items)})
	default:
		writeJSON(w, http.StatusOK, page)
	}
}
