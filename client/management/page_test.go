package management

import (
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestDecodePage(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       Page[*Role]
		ids        []string
		wantErr    bool
	}{
		{name: "bare array", body: `[{"id":"r1"},{"id":"r2"}]`, ids: []string{"r1", "r2"}},
		{name: "empty array", body: `[]`},
		{name: "empty body", body: ``},
		{name: "totals", body: `{"roles":[{"id":"r1"}],"start":0,"limit":50,"length":1,"total":1}`,
			want: Page[*Role]{HasTotals: true, Limit: 50, Length: 1, Total: 1}, ids: []string{"r1"}},
		{name: "no total", body: `{"start":50,"limit":50,"length":1,"roles":[{"id":"r9"}]}`,
			want: Page[*Role]{Start: 50, Limit: 50, Length: 1}, ids: []string{"r9"}},
		{name: "checkpoint", body: `{"roles":[{"id":"r1"}],"next":"cursor=="}`,
			want: Page[*Role]{Next: "cursor=="}, ids: []string{"r1"}},
		{name: "renamed key", body: `{"items":[{"id":"r1"}],"total":3}`,
			want: Page[*Role]{HasTotals: true, Total: 3}, ids: []string{"r1"}},
		{name: "no array", body: `{"total":0,"start":0,"limit":50}`,
			want: Page[*Role]{HasTotals: true, Limit: 50}},
		{name: "null items", body: `{"roles":null,"next":null}`},
		{name: "two arrays without the key", body: `{"a":[],"b":[]}`, wantErr: true},
		{name: "string", body: `"x"`, wantErr: true},
		{name: "number", body: `1`, wantErr: true},
		{name: "bad item", body: `[{"id":1}]`, wantErr: true},
		{name: "bad total", body: `{"roles":[],"total":"1"}`, wantErr: true},
		{name: "bad next", body: `{"roles":[],"next":1}`, wantErr: true},
		{name: "truncated", body: `{"roles":[`, wantErr: true},
		{name: "too deep", body: `{"roles":[` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `]}`, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := decodePage[*Role]([]byte(tc.body), "roles")
			if (err != nil) != tc.wantErr {
				t.Fatalf("got error %v, want error %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			var ids []string
			for _, r := range p.Items {
				ids = append(ids, r.ID)
			}
			if strings.Join(ids, ",") != strings.Join(tc.ids, ",") {
				t.Errorf("items: got %v, want %v", ids, tc.ids)
			}
			got := *p
			got.Items, got.digest = nil, 0 // the digest is a seeded hash: TestX23 checks its use
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("page: got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestCheckNesting(t *testing.T) {
	for _, tc := range []struct {
		body string
		ok   bool
	}{
		{`[[[]]]`, true},
		{`["[[[[[[["]`, true},       // brackets in strings do not count
		{`["\"[[[[[[[\\"]`, true},   // nor after escaped quotes
		{`[[[[[[[[]]]]]]]]`, false}, // 8 levels > 4
		{`{"a":{"b":{"c":{"d":{}}}}}`, false},
	} {
		if err := checkNesting([]byte(tc.body), 4); (err == nil) != tc.ok {
			t.Errorf("%s: got %v, want ok=%v", tc.body, err, tc.ok)
		}
	}
}

func FuzzDecodePage(f *testing.F) {
	for _, s := range []string{
		`[{"id":"r1"}]`, `[]`, ``, `{"roles":[{"id":"r1"}],"start":0,"limit":50,"total":1}`,
		`{"roles":[],"next":"x"}`, `{"a":[],"b":[]}`, `"x"`, `{"roles":null}`, `[[[[`,
		`{"roles":[{"id":"r1","description":null,"x":1e400}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := decodePage[*Role](data, "roles")
		if err != nil {
			if p != nil {
				t.Fatalf("got a page with error %v", err)
			}
			return
		}
		// What decoded re-encodes.
		for _, r := range p.Items {
			if r == nil {
				continue
			}
			if _, err := json.Marshal(r); err != nil {
				t.Fatalf("re-encoding %+v: %v", r, err)
			}
		}
	})
}

func TestOffsetEncode(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    *Offset
		d    listDefaults
		want string
	}{
		{"nil, no defaults", nil, listDefaults{}, ""},
		{"nil, defaults", nil, listDefaults{page: true, perPage: 25, includeTotals: "true"}, "include_totals=true&page=0&per_page=25"},
		{"set", &Offset{Page: 2, PerPage: 10, IncludeTotals: Bool(false)}, listDefaults{includeTotals: "true"}, "include_totals=false&page=2&per_page=10"},
		{"page only", &Offset{Page: 3}, listDefaults{}, "page=3"},
	} {
		q := url.Values{}
		tc.o.encode(q, tc.d)
		if got := q.Encode(); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct {
		name string
		p    Pagination
		want string
	}{
		{"nil: offset defaults", nil, "include_totals=true&page=0&per_page=50"},
		{"nil offset: offset defaults", (*Offset)(nil), "include_totals=true&page=0&per_page=50"},
		{"offset", &Offset{Page: 1}, "include_totals=true&page=1&per_page=50"},
		{"checkpoint", &Checkpoint{From: "abc", Take: 10}, "from=abc&take=10"},
		{"checkpoint without from or take: offset defaults", &Checkpoint{}, "include_totals=true&page=0&per_page=50"},
		{"nil checkpoint: offset defaults", (*Checkpoint)(nil), "include_totals=true&page=0&per_page=50"},
	} {
		q := url.Values{}
		paginate(q, tc.p, listDefaults{page: true, perPage: 50, includeTotals: "true"})
		if got := q.Encode(); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	q := url.Values{}
	(&FieldSelection{Fields: []string{"a", "b"}, IncludeFields: Bool(false)}).encode(q)
	if got, want := q.Encode(), "fields=a%2Cb&include_fields=false"; got != want {
		t.Errorf("fields: got %q, want %q", got, want)
	}
}

func TestListShapeError(t *testing.T) {
	_, err := decodePage[*Role]([]byte(`true`), "roles")
	if !errors.Is(err, errListShape) {
		t.Errorf("got %v, want errListShape", err)
	}
}
