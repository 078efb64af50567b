package management

import "time"

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
}

func (a *Action) UnmarshalJSON(b []byte) error {
	type plain Action
	return unmarshalModel(b, (*plain)(a), &a.Extra)
}

func (a Action) MarshalJSON() ([]byte, error) {
	type plain Action
	return marshalModel((*plain)(&a), a.Extra)
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
}

func (t *ActionTrigger) UnmarshalJSON(b []byte) error {
	type plain ActionTrigger
	return unmarshalModel(b, (*plain)(t), &t.Extra)
}

func (t ActionTrigger) MarshalJSON() ([]byte, error) {
	type plain ActionTrigger
	return marshalModel((*plain)(&t), t.Extra)
}
