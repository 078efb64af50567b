package management

import (
	"context"
	"net/http"
)

// LogStream is a log stream (GET /log-streams/{id}), also the body of
// LogStreams.Create and LogStreams.Update.
type LogStream struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
	// Type, set on create: http, eventbridge, eventgrid, datadog, splunk,
	// sumo, segment, mixpanel.
	Type   string `json:"type,omitempty"`
	Status string `json:"status,omitempty"` // active, paused, suspended
	// Sink is the type's destination settings; it may hold credentials
	// (an HTTP authorization header, an API key).
	Sink    Object   `json:"sink,omitzero"`
	Filters []Object `json:"filters,omitzero"` // {"type": "category", "name": "auth.login.fail"}
	Extra   Object   `json:"-"`
	empty   emptyMembers
}

func (l *LogStream) UnmarshalJSON(b []byte) error {
	type plain LogStream
	return unmarshalModel(b, (*plain)(l), &l.Extra, &l.empty)
}

func (l LogStream) MarshalJSON() ([]byte, error) {
	type plain LogStream
	return marshalModel((*plain)(&l), l.Extra, l.empty)
}

// LogStreamManager calls the /log-streams endpoints (Python LogStreams
// class).
type LogStreamManager struct{ m *Management }

// List lists the log streams (GET /log-streams; Python LogStreams.list).
func (r *LogStreamManager) List(ctx context.Context) ([]*LogStream, error) {
	var out []*LogStream
	err := r.m.do(ctx, request{method: http.MethodGet, path: route("/log-streams")}, &out)
	return out, err
}

// Get returns a log stream (GET /log-streams/{id}; Python LogStreams.get).
func (r *LogStreamManager) Get(ctx context.Context, id string) (*LogStream, error) {
	return call[LogStream](ctx, r.m, request{method: http.MethodGet, path: route("/log-streams/{id}", id)})
}

// Create creates a log stream (POST /log-streams; Python
// LogStreams.create).
func (r *LogStreamManager) Create(ctx context.Context, l *LogStream) (*LogStream, error) {
	return call[LogStream](ctx, r.m, request{method: http.MethodPost, path: route("/log-streams"), body: l})
}

// Delete deletes a log stream (DELETE /log-streams/{id}; Python
// LogStreams.delete).
func (r *LogStreamManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/log-streams/{id}", id)}, nil)
}

// Update changes a log stream, for example its Status to resume it (PATCH
// /log-streams/{id}; Python LogStreams.update).
func (r *LogStreamManager) Update(ctx context.Context, id string, l *LogStream) (*LogStream, error) {
	return call[LogStream](ctx, r.m, request{method: http.MethodPatch, path: route("/log-streams/{id}", id), body: l})
}
