package management

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
)

// offsetSource serves n items through an offset fetch function, in the
// totals shape or as bare arrays, and counts the calls.
type offsetSource struct {
	n      int
	totals bool
	limit  int // server-side cap on the page size; 0 none
	failAt int // page index that fails; -1 none
	calls  int
}

func (s *offsetSource) fetch(_ context.Context, o *Offset) (*Page[int], error) {
	s.calls++
	if o.Page == s.failAt {
		return nil, errors.New("boom")
	}
	size := o.PerPage
	if s.limit > 0 {
		size = min(size, s.limit)
	}
	p := &Page[int]{}
	for i := o.Page * size; i < min((o.Page+1)*size, s.n); i++ {
		p.Items = append(p.Items, i)
	}
	if s.totals {
		p.HasTotals, p.Total, p.Start, p.Limit = true, s.n, o.Page*size, size
	}
	return p, nil
}

func collect[T any](seq func(func(T, error) bool)) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

func TestWalkOffset(t *testing.T) {
	for _, tc := range []struct {
		name                string
		src                 offsetSource
		perPage             int
		wantItems, wantCall int
		wantErr             bool
	}{
		{"empty", offsetSource{n: 0, failAt: -1}, 10, 0, 1, false},
		{"one short page", offsetSource{n: 3, failAt: -1}, 10, 3, 1, false},
		{"exact pages, bare arrays", offsetSource{n: 20, failAt: -1}, 10, 20, 3, false}, // the third (empty) page is the only way to know
		{"exact pages, totals", offsetSource{n: 20, totals: true, failAt: -1}, 10, 20, 2, false},
		{"uneven, totals", offsetSource{n: 25, totals: true, failAt: -1}, 10, 25, 3, false},
		{"server caps the page size", offsetSource{n: 25, totals: true, limit: 5, failAt: -1}, 10, 25, 5, false},
		{"default page size", offsetSource{n: 120, totals: true, failAt: -1}, 0, 120, 3, false},
		{"error on page 2", offsetSource{n: 50, failAt: 2}, 10, 20, 3, true},
		{"error at once", offsetSource{n: 50, failAt: 0}, 10, 0, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.src
			items, err := collect(walkOffset(context.Background(), Offset{PerPage: tc.perPage}, src.fetch))
			if (err != nil) != tc.wantErr {
				t.Fatalf("got error %v, want error %v", err, tc.wantErr)
			}
			if len(items) != tc.wantItems || src.calls != tc.wantCall {
				t.Errorf("got %d items in %d calls, want %d in %d", len(items), src.calls, tc.wantItems, tc.wantCall)
			}
			for i, v := range items {
				if v != i {
					t.Fatalf("item %d: got %d, want %d", i, v, i)
				}
			}
		})
	}
}

func TestWalkOffsetStartsAtPage(t *testing.T) {
	src := offsetSource{n: 25, totals: true, failAt: -1}
	items, err := collect(walkOffset(context.Background(), Offset{Page: 1, PerPage: 10}, src.fetch))
	if err != nil || len(items) != 15 || items[0] != 10 || src.calls != 2 {
		t.Errorf("got %v (%v) in %d calls, want items 10..24 in 2", items, err, src.calls)
	}
}

func TestWalkTwice(t *testing.T) {
	src := offsetSource{n: 25, totals: true, failAt: -1}
	seq := walkOffset(context.Background(), Offset{Page: 1, PerPage: 10}, src.fetch)
	a, _ := collect(seq)
	b, _ := collect(seq)
	if fmt.Sprint(a) != fmt.Sprint(b) || len(a) != 15 || src.calls != 4 {
		t.Errorf("two ranges over one iterator: got %v and %v in %d calls, want the same 15 items twice in 4", a, b, src.calls)
	}
	pages := map[string]*Page[int]{"": {Items: []int{1}, Next: "n"}, "n": {Items: []int{2}}}
	cseq := walkCheckpoint(context.Background(), Checkpoint{}, func(_ context.Context, c *Checkpoint) (*Page[int], error) { return pages[c.From], nil })
	a, _ = collect(cseq)
	b, _ = collect(cseq)
	if fmt.Sprint(a) != "[1 2]" || fmt.Sprint(b) != "[1 2]" {
		t.Errorf("checkpoint twice: got %v and %v, want [1 2] twice", a, b)
	}
}

func TestWalkStopsEarly(t *testing.T) {
	src := offsetSource{n: 100, failAt: -1}
	n := 0
	for range walkOffset(context.Background(), Offset{PerPage: 10}, src.fetch) {
		if n++; n == 15 {
			break
		}
	}
	if src.calls != 2 {
		t.Errorf("calls after breaking at item 15: got %d, want 2", src.calls)
	}
}

func TestWalkContextCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := offsetSource{n: 100, failAt: -1}
	var got []int
	var gotErr error
	for v, err := range walkOffset(ctx, Offset{PerPage: 10}, src.fetch) {
		if err != nil {
			gotErr = err
			break
		}
		got = append(got, v)
		if v == 4 {
			cancel() // mid-page
		}
	}
	if !errors.Is(gotErr, context.Canceled) || len(got) != 5 || src.calls != 1 {
		t.Errorf("got %d items, error %v, %d calls; want 5, context.Canceled, 1", len(got), gotErr, src.calls)
	}

	// Checkpoint walks stop the same way, and a canceled context fetches nothing.
	calls := 0
	_, err := collect(walkCheckpoint(ctx, Checkpoint{}, func(context.Context, *Checkpoint) (*Page[int], error) {
		calls++
		return &Page[int]{Items: []int{1}, Next: "x"}, nil
	}))
	if !errors.Is(err, context.Canceled) || calls != 0 {
		t.Errorf("checkpoint on a canceled context: got %v after %d calls, want context.Canceled after 0", err, calls)
	}
}

func TestWalkCheckpoint(t *testing.T) {
	pages := map[string]*Page[int]{
		"":   {Items: []int{0, 1}, Next: "c1"},
		"c1": {Items: []int{2, 3}, Next: "c2"},
		"c2": {Items: []int{4}},
	}
	var froms []string
	var takes []int
	fetch := func(_ context.Context, c *Checkpoint) (*Page[int], error) {
		froms, takes = append(froms, c.From), append(takes, c.Take)
		if p, ok := pages[c.From]; ok {
			return p, nil
		}
		return nil, fmt.Errorf("unknown checkpoint %q", c.From)
	}
	items, err := collect(walkCheckpoint(context.Background(), Checkpoint{}, fetch))
	if err != nil || fmt.Sprint(items) != "[0 1 2 3 4]" {
		t.Fatalf("got %v %v, want [0 1 2 3 4]", items, err)
	}
	if fmt.Sprint(froms) != "[ c1 c2]" || fmt.Sprint(takes) != "[50 50 50]" {
		t.Errorf("requests: got from %q take %v, want [ c1 c2] and 50 each", froms, takes)
	}

	t.Run("empty", func(t *testing.T) {
		calls := 0
		items, err := collect(walkCheckpoint(context.Background(), Checkpoint{Take: 5}, func(context.Context, *Checkpoint) (*Page[int], error) {
			calls++
			return &Page[int]{}, nil
		}))
		if err != nil || len(items) != 0 || calls != 1 {
			t.Errorf("got %v %v in %d calls, want nothing in 1", items, err, calls)
		}
	})
	t.Run("error mid-walk", func(t *testing.T) {
		pages["c2"] = &Page[int]{Items: []int{4}, Next: "broken"}
		items, err := collect(walkCheckpoint(context.Background(), Checkpoint{}, fetch))
		if err == nil || len(items) != 5 {
			t.Errorf("got %v %v, want 5 items then an error", items, err)
		}
	})
	t.Run("repeated cursor", func(t *testing.T) {
		calls := 0
		items, err := collect(walkCheckpoint(context.Background(), Checkpoint{}, func(_ context.Context, c *Checkpoint) (*Page[int], error) {
			calls++
			return &Page[int]{Items: []int{1}, Next: "same"}, nil
		}))
		if calls != 2 || len(items) != 2 || !errors.Is(err, ErrPagination) {
			t.Errorf("got %d items in %d calls, %v; want 2 in 2 and ErrPagination (next repeats)", len(items), calls, err)
		}
	})
}

// TestUsersAll walks a real server: the page parameters sent, the number of
// requests (no empty last page) and the decoded users.
func TestUsersAll(t *testing.T) {
	const total = 7
	var calls atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		q := r.URL.Query()
		page, _ := strconv.Atoi(q.Get("page"))
		per, _ := strconv.Atoi(q.Get("per_page"))
		if q.Get("q") != `email:"*@example.com"` || q.Get("include_totals") != "true" {
			t.Errorf("query: got %v", q)
		}
		var users []map[string]any
		for i := page * per; i < min((page+1)*per, total); i++ {
			users = append(users, map[string]any{"user_id": fmt.Sprintf("auth0|%d", i)})
		}
		json.NewEncoder(w).Encode(map[string]any{"users": users, "start": page * per, "limit": per, "length": len(users), "total": total})
	})
	m := newTestManagement(t, srv, Config{})
	var ids []string
	for u, err := range m.Users.All(context.Background(), &UserListOptions{Offset: Offset{PerPage: 3}, Q: `email:"*@example.com"`}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	if len(ids) != total || ids[6] != "auth0|6" || calls.Load() != 3 {
		t.Errorf("got %v in %d requests, want %d users in 3", ids, calls.Load(), total)
	}

	// An error answer mid-walk is yielded once.
	srv2 := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "1" {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"statusCode":400,"error":"Bad Request","message":"You can only page through the first 1000 records","errorCode":"invalid_paging"}`))
			return
		}
		w.Write([]byte(`[{"user_id":"a"},{"user_id":"b"}]`))
	})
	m2 := newTestManagement(t, srv2, Config{})
	var errs []error
	n := 0
	for _, err := range m2.Users.All(context.Background(), &UserListOptions{Offset: Offset{PerPage: 2}}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	if n != 2 || len(errs) != 1 {
		t.Errorf("got %d users and errors %v, want 2 users and one error", n, errs)
	}
}
