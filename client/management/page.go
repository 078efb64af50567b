package management

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"net/url"
	"strconv"
	"strings"
)

// Offset selects a page of a list with offset pagination (page, per_page,
// include_totals). The zero value asks for the method's defaults, which are
// those of the Auth0 Python SDK 4.x (each method's documentation names
// them).
type Offset struct {
	// Page is the page index, from 0. A zero Page is sent only when the
	// method's default sends one, or when SendPage is set.
	Page int
	// SendPage sends page even when Page is 0 (page=0), which a zero Page
	// alone cannot ask of the methods whose defaults send no page.
	SendPage bool
	// PerPage is the page size (the API allows 1 to 100); 0 means the
	// method's default, or the API's (50) when the method has none.
	PerPage int
	// IncludeTotals asks for the object shape with start, limit and total;
	// nil means the method's default. Either shape decodes into a Page.
	IncludeTotals *bool
}

// Checkpoint selects a page of a list with checkpoint pagination (from,
// take), which the API requires past its 1000-result offset limit. Leave
// From empty on the first call; pass the previous Page.Next afterwards.
// The offset parameters (page, per_page, include_totals) are then not
// sent: the API documents the two as exclusive. A Checkpoint with neither
// From nor Take set asks for the method's offset defaults.
type Checkpoint struct {
	From string
	Take int // 0 means the API's default (50)
}

// Pagination is the page asked of a list whose endpoint takes either kind
// of pagination: an *Offset or a *Checkpoint (only they implement it, so
// anything else does not compile). nil asks for the method's offset
// defaults. Lists that take one kind only take *Offset or *Checkpoint.
type Pagination interface {
	paginate(q url.Values, d listDefaults)
}

// FieldSelection chooses the fields returned (fields, include_fields).
type FieldSelection struct {
	// Fields lists the fields to include, or to exclude when
	// IncludeFields is false; empty means all.
	Fields []string
	// IncludeFields: nil means true (the default sent by the Python SDK).
	IncludeFields *bool
}

// Bool returns a pointer to b, for the *bool fields of options and models.
func Bool(b bool) *bool { return &b }

// Int returns a pointer to n, for the *int fields of models.
func Int(n int) *int { return &n }

// String returns a pointer to s, for the *string fields of models.
func String(s string) *string { return &s }

// Page is one page of a list. Each list method has an iterator (All,
// AllMembers, AllRoles, ...) that walks every page and yields the items as
// an iter.Seq2[T, error], without the extra empty-page request of the
// Python SDK: an offset walk stops after a short page or once the total is
// reached, a checkpoint walk when Next is empty. It yields an error once
// and stops, and stops when ctx ends; see ErrPagination for the answers
// that end it with an error.
//
// Auth0 answers a list either as a bare JSON
// array (include_totals=false) or as an object holding the items under a
// name ("users", "roles", ...) with start, limit, length and total
// (include_totals=true), or next (checkpoint pagination); both shapes
// decode into a Page, so a method never fails on the shape it was not
// asked for (the Python SDK 5.x does: issue #856).
type Page[T any] struct {
	Items []T
	// HasTotals reports that the answer carried a total (the object shape
	// of include_totals=true). Start, Limit, Length and Total are zero when
	// the answer did not carry them.
	HasTotals bool
	Start     int
	Limit     int
	Length    int
	Total     int
	// Next is the checkpoint of the next page ("" on the last page).
	Next string

	// digest identifies the raw JSON of the items (pageSeed hash; 0 for a
	// page not decoded from an answer), so that an iterator can tell a
	// server that answers the same page again.
	digest uint64
}

// pageSeed seeds the page digests (random per process, so that no one can
// craft pages whose digests collide).
var pageSeed = maphash.MakeSeed()

// setDigest records the digest of a page's raw items.
func (p *Page[T]) setDigest(items []byte) {
	if len(items) > 0 {
		p.digest = maphash.Bytes(pageSeed, items) | 1 // never 0
	}
}

// maxListNesting bounds how deep a page's JSON may nest before we refuse it
// (encoding/json stops at 10000; an API list is a few levels deep).
const maxListNesting = 64

// errListShape is wrapped when a list answer is neither an array nor an
// object holding one.
var errListShape = errors.New("management: unexpected list shape")

// decodePage decodes a list answer. key names the member holding the items
// in the object shape; when it is absent, the only array-valued member is
// taken (older and newer API versions rename a few of them), and no array
// at all means an empty page.
func decodePage[T any](data []byte, key string) (*Page[T], error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return &Page[T]{}, nil
	}
	if err := checkNesting(data, maxListNesting); err != nil {
		return nil, err
	}
	p := &Page[T]{}
	switch data[0] {
	case '[':
		if err := json.Unmarshal(data, &p.Items); err != nil {
			return nil, fmt.Errorf("management: decoding a list: %w", err)
		}
		p.setDigest(data)
		return p, nil
	case '{':
	default:
		return nil, fmt.Errorf("%w: starts with %q", errListShape, data[0])
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, fmt.Errorf("management: decoding a list: %w", err)
	}
	items, ok := obj[key]
	if !ok {
		for name, v := range obj {
			if v = bytes.TrimSpace(v); len(v) > 0 && v[0] == '[' {
				if ok {
					return nil, fmt.Errorf("%w: no %q and several arrays (%q, ...)", errListShape, key, name)
				}
				items, ok = v, true
			}
		}
	}
	if ok && !isNull(items) {
		if err := json.Unmarshal(items, &p.Items); err != nil {
			return nil, fmt.Errorf("management: decoding a list: %w", err)
		}
		p.setDigest(items)
	}
	for name, dst := range map[string]*int{"start": &p.Start, "limit": &p.Limit, "length": &p.Length, "total": &p.Total} {
		if v, ok := obj[name]; ok && !isNull(v) {
			if err := json.Unmarshal(v, dst); err != nil {
				return nil, fmt.Errorf("management: decoding a list's %s: %w", name, err)
			}
			if name == "total" {
				p.HasTotals = true
			}
		}
	}
	if v, ok := obj["next"]; ok && !isNull(v) {
		if err := json.Unmarshal(v, &p.Next); err != nil {
			return nil, fmt.Errorf("management: decoding a list's next: %w", err)
		}
	}
	return p, nil
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// checkNesting refuses JSON nested deeper than max (a cheap byte scan that
// skips strings), so a hostile answer cannot make decoding expensive.
func checkNesting(data []byte, max int) error {
	depth, inString, escaped := 0, false, false
	for _, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			if depth++; depth > max {
				return fmt.Errorf("%w: nested deeper than %d", errListShape, max)
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return nil
}

// listDefaults are the query values a list method sends when the caller
// leaves them unset (the "query (default)" column of the reference).
type listDefaults struct {
	page          bool   // send page=0
	perPage       int    // send per_page=n; 0: none
	includeTotals string // "true", "false" or "" (not sent)
}

// encode adds the offset parameters to q.
func (o *Offset) encode(q url.Values, d listDefaults) {
	var v Offset
	if o != nil {
		v = *o
	}
	if v.Page > 0 || v.SendPage || d.page {
		q.Set("page", strconv.Itoa(v.Page))
	}
	if n := cmp.Or(v.PerPage, d.perPage); n > 0 {
		q.Set("per_page", strconv.Itoa(n))
	}
	if v.IncludeTotals != nil {
		q.Set("include_totals", strconv.FormatBool(*v.IncludeTotals))
	} else if d.includeTotals != "" {
		q.Set("include_totals", d.includeTotals)
	}
}

// active reports whether checkpoint pagination was asked for.
func (c *Checkpoint) active() bool { return c != nil && (c.From != "" || c.Take > 0) }

func (o *Offset) paginate(q url.Values, d listDefaults) { o.encode(q, d) }

func (c *Checkpoint) paginate(q url.Values, d listDefaults) {
	if !c.active() {
		(*Offset)(nil).encode(q, d)
		return
	}
	c.encode(q)
}

func (c *Checkpoint) encode(q url.Values) {
	if c.From != "" {
		q.Set("from", c.From)
	}
	if c.Take > 0 {
		q.Set("take", strconv.Itoa(c.Take))
	}
}

// paginate adds the parameters of p: a checkpoint's, or an offset's with
// the method's defaults d (nil p: the defaults).
func paginate(q url.Values, p Pagination, d listDefaults) {
	if p == nil {
		p = (*Offset)(nil)
	}
	p.paginate(q, d)
}

// encode adds fields and include_fields (default true) to q.
func (f *FieldSelection) encode(q url.Values) {
	include := true
	if f != nil {
		if len(f.Fields) > 0 {
			q.Set("fields", strings.Join(f.Fields, ","))
		}
		if f.IncludeFields != nil {
			include = *f.IncludeFields
		}
	}
	q.Set("include_fields", strconv.FormatBool(include))
}

// setString adds k=v to q when v is not empty.
func setString(q url.Values, k, v string) {
	if v != "" {
		q.Set(k, v)
	}
}

// setBool adds k=true/false to q when b is set.
func setBool(q url.Values, k string, b *bool) {
	if b != nil {
		q.Set(k, strconv.FormatBool(*b))
	}
}

// addExtra merges caller-supplied parameters (the Python "+extra_params")
// without replacing the ones the method set.
func addExtra(q, extra url.Values) {
	for k, vs := range extra {
		if _, ok := q[k]; !ok {
			q[k] = append([]string(nil), vs...)
		}
	}
}
