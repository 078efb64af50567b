package management

import (
	"context"
	"fmt"
	"net/url"
)

// The configuration-style resources (branding, prompts, guardian, attack
// protection, tenant settings, ...) take and return an Object; these helpers
// are what they share beyond request.go.

// callObject sends r and returns the answer as an Object (nil for an empty
// answer).
func callObject(ctx context.Context, m *Management, r request) (Object, error) {
	var out Object
	if err := doConfig(ctx, m, r, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// doConfig is m.do after refusing a nil map body. For these resources a PUT
// replaces a whole setting (custom text, a factor, a provider), so a body
// forgotten as nil must not go out as null or {} and clear it.
func doConfig(ctx context.Context, m *Management, r request, out any) error {
	switch b := r.body.(type) {
	case Object:
		if b == nil {
			return errNilBody(r)
		}
	case map[string]string:
		if b == nil {
			return errNilBody(r)
		}
	}
	return m.do(ctx, r, out)
}

func errNilBody(r request) error {
	return fmt.Errorf("management: %s %s: nil request body", r.method, r.path.resource())
}

// encodePages adds page and per_page (no defaults) but never
// include_totals: the lists of the Actions API take no such parameter and
// always answer with their total.
func (o *Offset) encodePages(q url.Values) {
	v := deref(o)
	v.IncludeTotals = nil
	v.encode(q, listDefaults{})
}

// EnabledFilter selects rules or hooks by their enabled state in Rules.List
// and Hooks.List. The zero value lists the enabled ones only, as the Python
// SDK does by default (enabled=true).
type EnabledFilter int

const (
	EnabledOnly       EnabledFilter = iota // enabled=true (the default)
	DisabledOnly                           // enabled=false
	EnabledOrDisabled                      // no enabled parameter: both
)

func (f EnabledFilter) encode(q url.Values) {
	switch f {
	case EnabledOrDisabled:
	case DisabledOnly:
		q.Set("enabled", "false")
	default:
		q.Set("enabled", "true")
	}
}

// listItems sends r and returns the items of a list answer (an array, or an
// object holding one under key), for the endpoints that do not paginate.
func listItems[T any](ctx context.Context, m *Management, r request, key string) ([]T, error) {
	p, err := list[T](ctx, m, r, key)
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}

// checkpointQuery is the query of a list with checkpoint pagination only:
// from and take when asked, nothing by default.
func checkpointQuery(opts *Checkpoint) url.Values {
	q := url.Values{}
	if opts.active() {
		opts.encode(q)
	}
	return q
}
