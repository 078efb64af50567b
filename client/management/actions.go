package management

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// ActionManager calls the /actions endpoints (Python Actions class).
type ActionManager struct{ m *Management }

// ActionListOptions are the parameters of Actions.List.
type ActionListOptions struct {
	// Offset: page and per_page, no defaults. IncludeTotals is ignored:
	// the Actions API takes no include_totals and always sends its total.
	Offset
	TriggerID  string // triggerId: the actions supporting this trigger
	ActionName string // actionName: the action of this name
	Deployed   *bool  // deployed: nil lists both
	// Installed lists only the actions installed from the Marketplace;
	// false (the default) sends installed=false, as the Python SDK does.
	Installed bool
}

// List lists actions (GET /actions/actions; Python Actions.get_actions).
func (r *ActionManager) List(ctx context.Context, opts *ActionListOptions) (*Page[*Action], error) {
	v := deref(opts)
	q := url.Values{}
	setString(q, "triggerId", v.TriggerID)
	setString(q, "actionName", v.ActionName)
	setBool(q, "deployed", v.Deployed)
	q.Set("installed", strconv.FormatBool(v.Installed))
	v.Offset.encodePages(q)
	return list[*Action](ctx, r.m, request{method: http.MethodGet, path: route("/actions/actions"), query: q}, "actions")
}

// All iterates over List.
func (r *ActionManager) All(ctx context.Context, opts *ActionListOptions) iter.Seq2[*Action, error] {
	o := deref(opts)
	return walkOffset(ctx, o.Offset, func(ctx context.Context, page *Offset) (*Page[*Action], error) {
		o.Offset = *page
		return r.List(ctx, &o)
	})
}

// Create creates an action (POST /actions/actions; Python
// Actions.create_action).
func (r *ActionManager) Create(ctx context.Context, a *Action) (*Action, error) {
	return call[Action](ctx, r.m, request{method: http.MethodPost, path: route("/actions/actions"), body: a})
}

// Get returns an action (GET /actions/actions/{id}; Python
// Actions.get_action).
func (r *ActionManager) Get(ctx context.Context, id string) (*Action, error) {
	return call[Action](ctx, r.m, request{method: http.MethodGet, path: route("/actions/actions/{id}", id)})
}

// Update changes an action (PATCH /actions/actions/{id}; Python
// Actions.update_action). Deploy it to run the changes.
func (r *ActionManager) Update(ctx context.Context, id string, a *Action) (*Action, error) {
	return call[Action](ctx, r.m, request{method: http.MethodPatch, path: route("/actions/actions/{id}", id), body: a})
}

// Delete deletes an action (DELETE /actions/actions/{id}; Python
// Actions.delete_action). force also removes its trigger bindings;
// without it the API refuses to delete a bound action.
func (r *ActionManager) Delete(ctx context.Context, id string, force bool) error {
	q := url.Values{"force": {strconv.FormatBool(force)}}
	return r.m.do(ctx, request{method: http.MethodDelete, path: route("/actions/actions/{id}", id), query: q}, nil)
}

// ListTriggers lists the triggers actions can bind to (GET
// /actions/triggers; Python Actions.get_triggers).
func (r *ActionManager) ListTriggers(ctx context.Context) ([]*ActionTrigger, error) {
	p, err := list[*ActionTrigger](ctx, r.m, request{method: http.MethodGet, path: route("/actions/triggers")}, "triggers")
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}

// GetExecution returns an execution of the actions of a trigger (GET
// /actions/executions/{id}; Python Actions.get_execution).
func (r *ActionManager) GetExecution(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/actions/executions/{id}", id)})
}

// ListVersions lists the versions of an action (GET
// /actions/actions/{id}/versions; Python Actions.get_action_versions).
// opts (page, per_page) may be nil.
func (r *ActionManager) ListVersions(ctx context.Context, actionID string, opts *Offset) (*Page[Object], error) {
	q := url.Values{}
	opts.encodePages(q)
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: route("/actions/actions/{id}/versions", actionID), query: q}, "versions")
}

// AllVersions iterates over ListVersions.
func (r *ActionManager) AllVersions(ctx context.Context, actionID string, opts *Offset) iter.Seq2[Object, error] {
	return walkOffset(ctx, deref(opts), func(ctx context.Context, o *Offset) (*Page[Object], error) {
		return r.ListVersions(ctx, actionID, o)
	})
}

// GetVersion returns a version of an action (GET
// /actions/actions/{action_id}/versions/{version_id}; Python
// Actions.get_action_version).
func (r *ActionManager) GetVersion(ctx context.Context, actionID, versionID string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodGet, path: route("/actions/actions/{action_id}/versions/{version_id}", actionID, versionID)})
}

// Deploy deploys the latest changes of an action as a new version and
// returns it (POST /actions/actions/{id}/deploy; Python
// Actions.deploy_action).
func (r *ActionManager) Deploy(ctx context.Context, id string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/actions/actions/{id}/deploy", id)})
}

// Test runs an action on a payload, as its trigger would, and returns its
// result ({"payload": ...}) (POST /actions/actions/{id}/test with
// {"payload": payload}; go-auth0 ActionManager.Test).
func (r *ActionManager) Test(ctx context.Context, id string, payload Object) (Object, error) {
	if payload == nil {
		payload = Object{}
	}
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/actions/actions/{id}/test", id), body: Object{"payload": payload}})
}

// RollbackVersion deploys an earlier version of an action again, as a new
// version that it returns (POST
// /actions/actions/{action_id}/versions/{version_id}/deploy with {};
// Python Actions.rollback_action_version).
func (r *ActionManager) RollbackVersion(ctx context.Context, actionID, versionID string) (Object, error) {
	return callObject(ctx, r.m, request{method: http.MethodPost, path: route("/actions/actions/{action_id}/versions/{version_id}/deploy", actionID, versionID), body: Object{}})
}

// ListBindings lists the actions bound to a trigger, in the order they run
// (GET /actions/triggers/{id}/bindings; Python
// Actions.get_trigger_bindings). opts (page, per_page) may be nil.
func (r *ActionManager) ListBindings(ctx context.Context, triggerID string, opts *Offset) (*Page[Object], error) {
	q := url.Values{}
	opts.encodePages(q)
	return list[Object](ctx, r.m, request{method: http.MethodGet, path: route("/actions/triggers/{id}/bindings", triggerID), query: q}, "bindings")
}

// AllBindings iterates over ListBindings.
func (r *ActionManager) AllBindings(ctx context.Context, triggerID string, opts *Offset) iter.Seq2[Object, error] {
	return walkOffset(ctx, deref(opts), func(ctx context.Context, o *Offset) (*Page[Object], error) {
		return r.ListBindings(ctx, triggerID, o)
	})
}

// UpdateBindings replaces the actions bound to a trigger, in run order
// (PATCH /actions/triggers/{id}/bindings with {"bindings": [...]}; Python
// Actions.update_trigger_bindings). Each binding is
// {"ref": {"type": "action_id", "value": id}, "display_name": ...}; nil or
// empty unbinds every action. It returns the new bindings.
func (r *ActionManager) UpdateBindings(ctx context.Context, triggerID string, bindings []Object) ([]Object, error) {
	if bindings == nil {
		bindings = []Object{}
	}
	body := struct {
		Bindings []Object `json:"bindings"`
	}{bindings}
	p, err := list[Object](ctx, r.m, request{method: http.MethodPatch, path: route("/actions/triggers/{id}/bindings", triggerID), body: body}, "bindings")
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}

// Action is an Auth0 Action (GET /actions/actions/{id}), also the body of
// Actions.Create and Actions.Update. Versions, executions and trigger
// bindings are Objects.
type Action struct {
	ID                string           `json:"id,omitempty"`
	Name              string           `json:"name,omitempty"`
	SupportedTriggers []*ActionTrigger `json:"supported_triggers,omitzero"`
	Code              string           `json:"code,omitempty"`
	Runtime           string           `json:"runtime,omitempty"` // node18, ...
	// Dependencies are the npm packages ({"name", "version"}).
	Dependencies []Object `json:"dependencies,omitzero"`
	// Secrets are {"name", "value"} pairs; answers carry the names only.
	Secrets []Object `json:"secrets,omitzero"`
	// Status is the build state of the latest changes: pending, building,
	// built, packaged, failed, ...
	Status             string     `json:"status,omitempty"`
	AllChangesDeployed *bool      `json:"all_changes_deployed,omitempty"`
	CreatedAt          *time.Time `json:"created_at,omitempty"`
	UpdatedAt          *time.Time `json:"updated_at,omitempty"`
	Extra              Object     `json:"-"`
	empty              emptyMembers
}

func (a *Action) UnmarshalJSON(b []byte) error {
	type plain Action
	return unmarshalModel(b, (*plain)(a), &a.Extra, &a.empty)
}

func (a Action) MarshalJSON() ([]byte, error) {
	type plain Action
	return marshalModel((*plain)(&a), a.Extra, a.empty)
}

// ActionTrigger is a trigger an action runs on ({"id": "post-login",
// "version": "v3"}); Actions.ListTriggers fills the other fields.
type ActionTrigger struct {
	ID                 string           `json:"id,omitempty"`
	Version            string           `json:"version,omitempty"`
	Status             string           `json:"status,omitempty"` // CURRENT, DEPRECATED, ...
	Runtimes           []string         `json:"runtimes,omitzero"`
	DefaultRuntime     string           `json:"default_runtime,omitempty"`
	CompatibleTriggers []*ActionTrigger `json:"compatible_triggers,omitzero"`
	Extra              Object           `json:"-"`
	empty              emptyMembers
}

func (t *ActionTrigger) UnmarshalJSON(b []byte) error {
	type plain ActionTrigger
	return unmarshalModel(b, (*plain)(t), &t.Extra, &t.empty)
}

func (t ActionTrigger) MarshalJSON() ([]byte, error) {
	type plain ActionTrigger
	return marshalModel((*plain)(&t), t.Extra, t.empty)
}
