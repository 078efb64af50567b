package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"time"
)

// LogManager calls the /logs endpoints (Python Logs class).
type LogManager struct{ m *Management }

// LogListOptions are the search parameters of Logs.List and Logs.All.
type LogListOptions struct {
	FieldSelection
	Sort string // "date:-1"
	Q    string // Lucene query
}

// List searches log events (GET /logs; Python Logs.search): page is an
// *Offset (defaults: page=0, per_page=50, include_totals=true) or a
// *Checkpoint, whose From is a log ID: the events after it are returned.
func (r *LogManager) List(ctx context.Context, page Pagination, opts *LogListOptions) (*Page[*Log], error) {
	v := deref(opts)
	q := url.Values{}
	paginate(q, page, listDefaults{page: true, perPage: 50, includeTotals: "true"})
	setString(q, "sort", v.Sort)
	v.FieldSelection.encode(q)
	setString(q, "q", v.Q)
	return list[*Log](ctx, r.m, request{method: http.MethodGet, path: route("/logs"), query: q}, "logs")
}

// All iterates over the log events matching opts with offset pagination
// from start (nil: the first page). The API serves the first 1000 this
// way; for more, page by log ID with a *Checkpoint and List.
func (r *LogManager) All(ctx context.Context, start *Offset, opts *LogListOptions) iter.Seq2[*Log, error] {
	return walkOffset(ctx, deref(start), func(ctx context.Context, page *Offset) (*Page[*Log], error) {
		return r.List(ctx, page, opts)
	})
}

// Get returns a log event (GET /logs/{id}; Python Logs.get).
func (r *LogManager) Get(ctx context.Context, id string) (*Log, error) {
	return call[Log](ctx, r.m, request{method: http.MethodGet, path: route("/logs/{id}", id)})
}

// Log is a tenant log event (GET /logs/{id}).
type Log struct {
	ID           string     `json:"log_id,omitempty"`
	Date         *time.Time `json:"date,omitempty"`
	Type         string     `json:"type,omitempty"` // event code: s, f, fp, sapi, ...
	Description  string     `json:"description,omitempty"`
	ClientID     string     `json:"client_id,omitempty"`
	ClientName   string     `json:"client_name,omitempty"`
	IP           string     `json:"ip,omitempty"`
	Hostname     string     `json:"hostname,omitempty"`
	UserID       string     `json:"user_id,omitempty"`
	UserName     string     `json:"user_name,omitempty"`
	UserAgent    string     `json:"user_agent,omitempty"`
	Connection   string     `json:"connection,omitempty"`
	ConnectionID string     `json:"connection_id,omitempty"`
	Strategy     string     `json:"strategy,omitempty"`
	StrategyType string     `json:"strategy_type,omitempty"`
	Audience     string     `json:"audience,omitempty"`
	IsMobile     *bool      `json:"isMobile,omitempty"`
	Details      Object     `json:"details,omitzero"`
	LocationInfo Object     `json:"location_info,omitzero"`
	// scope is a string in some events and an array in others: it stays in
	// Extra with the other members.
	Extra Object `json:"-"`
	empty emptyMembers
}

func (l *Log) UnmarshalJSON(b []byte) error {
	type plain Log
	return unmarshalModel(b, (*plain)(l), &l.Extra, &l.empty)
}

func (l Log) MarshalJSON() ([]byte, error) {
	type plain Log
	return marshalModel((*plain)(&l), l.Extra, l.empty)
}
