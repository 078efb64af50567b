package management

import (
	"bytes"
	"context"
	"errors"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"time"
)

// Job is a background job (GET /jobs/{id}): a users import or export, or a
// verification email. It is also the body of Jobs.ExportUsers
// (ConnectionID, Format, Limit, Fields) and Jobs.SendVerificationEmail
// (UserID, ClientID, Identity, OrganizationID).
type Job struct {
	ID              string      `json:"id,omitempty"`
	Type            string      `json:"type,omitempty"`   // users_import, users_export, verification_email
	Status          string      `json:"status,omitempty"` // pending, processing, completed, failed
	CreatedAt       *time.Time  `json:"created_at,omitempty"`
	ConnectionID    string      `json:"connection_id,omitempty"`
	Connection      string      `json:"connection,omitempty"`
	Format          string      `json:"format,omitempty"` // json or csv (export)
	Limit           *int        `json:"limit,omitempty"`
	Fields          []*JobField `json:"fields,omitzero"`
	Location        string      `json:"location,omitempty"` // export download URL
	PercentageDone  *int        `json:"percentage_done,omitempty"`
	TimeLeftSeconds *int        `json:"time_left_seconds,omitempty"`
	Summary         Object      `json:"summary,omitzero"` // import counts
	ExternalID      string      `json:"external_id,omitempty"`
	UserID          string      `json:"user_id,omitempty"`
	ClientID        string      `json:"client_id,omitempty"`
	Identity        *Identity   `json:"identity,omitempty"`
	OrganizationID  string      `json:"organization_id,omitempty"`
	Extra           Object      `json:"-"`
	empty           emptyMembers
}

func (j *Job) UnmarshalJSON(b []byte) error {
	type plain Job
	return unmarshalModel(b, (*plain)(j), &j.Extra, &j.empty)
}

func (j Job) MarshalJSON() ([]byte, error) {
	type plain Job
	return marshalModel((*plain)(&j), j.Extra, j.empty)
}

// JobField is a user field of an export.
type JobField struct {
	Name     string `json:"name,omitempty"`
	ExportAs string `json:"export_as,omitempty"`
	Extra    Object `json:"-"`
	empty    emptyMembers
}

func (f *JobField) UnmarshalJSON(b []byte) error {
	type plain JobField
	return unmarshalModel(b, (*plain)(f), &f.Extra, &f.empty)
}

func (f JobField) MarshalJSON() ([]byte, error) {
	type plain JobField
	return marshalModel((*plain)(&f), f.Extra, f.empty)
}

// JobUserError is a user an import could not process, with the reasons.
type JobUserError struct {
	User   Object   `json:"user,omitzero"`
	Errors []Object `json:"errors,omitzero"` // {"code": ..., "message": ..., "path": ...}
	Extra  Object   `json:"-"`
	empty  emptyMembers
}

func (e *JobUserError) UnmarshalJSON(b []byte) error {
	type plain JobUserError
	return unmarshalModel(b, (*plain)(e), &e.Extra, &e.empty)
}

func (e JobUserError) MarshalJSON() ([]byte, error) {
	type plain JobUserError
	return marshalModel((*plain)(&e), e.Extra, e.empty)
}

// UsersImport is the request of Jobs.ImportUsers.
type UsersImport struct {
	ConnectionID string // required: a database connection
	// Users is the file to import: a JSON array of users (at most 500 KB).
	Users []byte
	// Upsert updates existing users instead of failing on them (default
	// false).
	Upsert bool
	// SendCompletionEmail mails the tenant owners when the job ends; nil
	// means true (the Python default).
	SendCompletionEmail *bool
	ExternalID          string
}

// JobManager calls the /jobs endpoints (Python Jobs class).
type JobManager struct{ m *Management }

// Get returns a job (GET /jobs/{id}; Python Jobs.get).
func (r *JobManager) Get(ctx context.Context, id string) (*Job, error) {
	return call[Job](ctx, r.m, request{method: http.MethodGet, path: route("/jobs/{id}", id)})
}

// GetErrors returns the users a finished import failed on
// (GET /jobs/{id}/errors; Python Jobs.get_failed_job). A job without errors
// gives none.
func (r *JobManager) GetErrors(ctx context.Context, id string) ([]*JobUserError, error) {
	var raw []byte
	if err := r.m.do(ctx, request{method: http.MethodGet, path: route("/jobs/{id}/errors", id)}, &raw); err != nil {
		return nil, err
	}
	// The API answers an array of errors, or the job itself (an object)
	// when there are none.
	if raw = bytes.TrimSpace(raw); len(raw) == 0 || raw[0] != '[' {
		return nil, nil
	}
	p, err := decodePage[*JobUserError](raw, "")
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}

// ExportUsers starts a users export (POST /jobs/users-exports; Python
// Jobs.export_users).
func (r *JobManager) ExportUsers(ctx context.Context, job *Job) (*Job, error) {
	return call[Job](ctx, r.m, request{method: http.MethodPost, path: route("/jobs/users-exports"), body: job})
}

// ImportUsers starts a users import (POST /jobs/users-imports, a multipart
// upload; Python Jobs.import_users).
func (r *JobManager) ImportUsers(ctx context.Context, imp *UsersImport) (*Job, error) {
	if imp == nil || len(imp.Users) == 0 {
		return nil, errors.New("management: ImportUsers: no users to import")
	}
	body, contentType, err := imp.multipart()
	if err != nil {
		return nil, err
	}
	return call[Job](ctx, r.m, request{method: http.MethodPost, path: route("/jobs/users-imports"), raw: body, contentType: contentType})
}

// multipart encodes the import as the Python SDK does: the fields, then
// the file part "users".
func (imp *UsersImport) multipart() ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	send := true
	if imp.SendCompletionEmail != nil {
		send = *imp.SendCompletionEmail
	}
	fields := [][2]string{
		{"connection_id", imp.ConnectionID},
		{"upsert", strconv.FormatBool(imp.Upsert)},
		{"send_completion_email", strconv.FormatBool(send)},
	}
	if imp.ExternalID != "" {
		fields = append(fields, [2]string{"external_id", imp.ExternalID})
	}
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			return nil, "", err
		}
	}
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", `form-data; name="users"; filename="users.json"`)
	h.Set("Content-Type", "application/json")
	part, err := w.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	if _, err := part.Write(imp.Users); err != nil {
		return nil, "", err
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

// SendVerificationEmail sends a user the email that verifies their
// address (POST /jobs/verification-email; Python
// Jobs.send_verification_email). It carries the Auth0-Custom-Domain header
// when one is configured, so the link uses that domain.
func (r *JobManager) SendVerificationEmail(ctx context.Context, job *Job) (*Job, error) {
	return call[Job](ctx, r.m, request{method: http.MethodPost, path: route("/jobs/verification-email"), body: job})
}
