package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// LogManager calls the /logs endpoints (Python Logs class).
type LogManager struct{ m *Management }

// LogListOptions are the parameters of Logs.List.
type LogListOptions struct {
	Offset // defaults: page=0, per_page=50, include_totals=true
	// Checkpoint: From is a log ID; the events after it are returned.
	Checkpoint
	FieldSelection
	Sort string // "date:-1"
	Q    string // Lucene query
}

// List searches log events (GET /logs; Python Logs.search).
func (r *LogManager) List(ctx context.Context, opts *LogListOptions) (*Page[*Log], error) {
	v := deref(opts)
	q := url.Values{}
	paginate(q, &v.Offset, &v.Checkpoint, listDefaults{page: true, perPage: 50, includeTotals: "true"})
	setString(q, "sort", v.Sort)
	v.FieldSelection.encode(q)
	setString(q, "q", v.Q)
	return list[*Log](ctx, r.m, request{method: http.MethodGet, path: path("logs"), query: q}, "logs")
}

// All iterates over the log events matching opts with offset pagination
// (the API serves the first 1000 this way; for more, page by log ID with
// opts.Checkpoint.From and List).
func (r *LogManager) All(ctx context.Context, opts *LogListOptions) iter.Seq2[*Log, error] {
	o := deref(opts)
	o.Checkpoint = Checkpoint{}
	return walkOffset(ctx, o.Offset, func(ctx context.Context, page *Offset) (*Page[*Log], error) {
		o.Offset = *page
		return r.List(ctx, &o)
	})
}

// Get returns a log event (GET /logs/{id}; Python Logs.get).
func (r *LogManager) Get(ctx context.Context, id string) (*Log, error) {
	return call[Log](ctx, r.m, request{method: http.MethodGet, path: path("logs", id)})
}
