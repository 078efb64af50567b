package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strings"
)

// EventStreamManager calls the /event-streams endpoints (go-auth0
// EventStreamManager): streams of tenant events (user.created, ...) to a
// webhook or Amazon EventBridge, as Objects such as {"name": ...,
// "subscriptions": [{"event_type": "user.created"}], "destination":
// {"type": "webhook", "configuration": {"webhook_endpoint": ...,
// "webhook_authorization": {"method": "bearer", "token": ...}}}}.
type EventStreamManager struct{ m *Management }

// List lists the event streams (GET /event-streams; go-auth0
// EventStreamManager.List). opts asks for checkpoint pagination (from,
// take); nil sends neither.
func (r *EventStreamManager) List(ctx context.Context, opts *Checkpoint) (*Page[Object], error) {
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: route("/event-streams"), query: checkpointQuery(opts)}, "eventStreams")
}

// All iterates over List.
func (r *EventStreamManager) All(ctx context.Context, start *Checkpoint) iter.Seq2[Object, error] {
	return walkCheckpoint(ctx, deref(start), func(ctx context.Context, c *Checkpoint) (*Page[Object], error) {
		return r.List(ctx, c)
	})
}

// Create creates an event stream (POST /event-streams; go-auth0
// EventStreamManager.Create).
func (r *EventStreamManager) Create(ctx context.Context, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/event-streams"), body: body})
}

// Get returns an event stream (GET /event-streams/{id}; go-auth0
// EventStreamManager.Read).
func (r *EventStreamManager) Get(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/event-streams/{id}", id)})
}

// Update changes an event stream (PATCH /event-streams/{id}; go-auth0
// EventStreamManager.Update).
func (r *EventStreamManager) Update(ctx context.Context, id string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPatch, path: route("/event-streams/{id}", id), body: body})
}

// Delete deletes an event stream (DELETE /event-streams/{id}; go-auth0
// EventStreamManager.Delete).
func (r *EventStreamManager) Delete(ctx context.Context, id string) error {
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/event-streams/{id}", id)}, nil)
}

// DeliveryListOptions select the deliveries of EventStreams.ListDeliveries.
type DeliveryListOptions struct {
	Checkpoint
	Statuses   []string // "failed", ...; sent comma-separated
	EventTypes []string // "user.created", ...; sent comma-separated
	DateFrom   string   // RFC 3339
	DateTo     string
}

// ListDeliveries lists the deliveries of a stream's events (GET
// /event-streams/{id}/deliveries; go-auth0
// EventStreamManager.ListDeliveries).
func (r *EventStreamManager) ListDeliveries(ctx context.Context, id string, opts *DeliveryListOptions) (*Page[Object], error) {
	v := deref(opts)
	q := checkpointQuery(&v.Checkpoint)
	setString(q, "statuses", strings.Join(v.Statuses, ","))
	setString(q, "event_types", strings.Join(v.EventTypes, ","))
	setString(q, "date_from", v.DateFrom)
	setString(q, "date_to", v.DateTo)
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: route("/event-streams/{id}/deliveries", id), query: q}, "deliveries")
}

// GetDelivery returns a delivery of an event, with its attempts (GET
// /event-streams/{id}/deliveries/{event_id}; go-auth0
// EventStreamManager.ReadDelivery).
func (r *EventStreamManager) GetDelivery(ctx context.Context, id, eventID string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/event-streams/{id}/deliveries/{event_id}", id, eventID)})
}

// Redeliver sends a failed event again (POST
// /event-streams/{id}/redeliver/{event_id}; go-auth0
// EventStreamManager.Redeliver).
func (r *EventStreamManager) Redeliver(ctx context.Context, id, eventID string) error {
	return r.m.do(ctx, request{method: http.MethodPost, path: route("/event-streams/{id}/redeliver/{event_id}", id, eventID)}, nil)
}

// RedeliverMany sends again the failed events body selects ({"date_from",
// "date_to", "statuses", "event_types"}) (POST
// /event-streams/{id}/redeliver; go-auth0
// EventStreamManager.RedeliverMany).
func (r *EventStreamManager) RedeliverMany(ctx context.Context, id string, body Object) error {
	return doConfig(ctx, r.m, request{method: http.MethodPost, path: route("/event-streams/{id}/redeliver", id), body: body}, nil)
}

// Test sends a test event ({"event_type": "user.created", "data": ...})
// through a stream and returns its delivery (POST
// /event-streams/{id}/test; go-auth0 EventStreamManager.Test).
func (r *EventStreamManager) Test(ctx context.Context, id string, body Object) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/event-streams/{id}/test", id), body: body})
}

// StatsOptions select the window of EventStreams.Stats.
type StatsOptions struct {
	DateFrom string // RFC 3339
	DateTo   string
}

// Stats returns a stream's delivery counts by time bucket (GET
// /event-streams/{id}/stats; go-auth0 EventStreamManager.Stats).
func (r *EventStreamManager) Stats(ctx context.Context, id string, opts *StatsOptions) (Object, error) {
	v := deref(opts)
	q := url.Values{}
	setString(q, "date_from", v.DateFrom)
	setString(q, "date_to", v.DateTo)
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/event-streams/{id}/stats", id), query: q})
}
