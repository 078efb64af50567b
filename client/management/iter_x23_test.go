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

// x23MaxPages is where the tests stop a walk that does not end by itself,
// so that a regression fails instead of hanging.
const x23MaxPages = 60

// walkResult is what a bounded range over an iterator saw.
type walkResult struct {
	items int
	err   error
	ended bool // the iterator ended by itself (with or without an error)
}

func rangeBounded[T any](seq func(func(T, error) bool), maxItems int) walkResult {
	var r walkResult
	for _, err := range seq {
		if err != nil {
			r.err = err
			continue
		}
		if r.items++; r.items >= maxItems {
			return r
		}
	}
	r.ended = true
	return r
}

// TestX23CheckpointCycle: a cursor that comes back (A→B→A, or A→A) must
// end the walk with ErrPagination, not loop forever or stop silently.
func TestX23CheckpointCycle(t *testing.T) {
	cases := []struct {
		name      string
		next      map[string]string // from → next
		wantPages int32
	}{
		{"A→B→A", map[string]string{"": "A", "A": "B", "B": "A"}, 3},
		{"A→A", map[string]string{"": "A", "A": "A"}, 2},
		{"back to the start cursor", map[string]string{"": "A", "A": "B", "B": ""}, 3}, // "" ends: no error
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				n := calls.Add(1)
				from := r.URL.Query().Get("from")
				json.NewEncoder(w).Encode(map[string]any{
					"organizations": []map[string]any{{"id": fmt.Sprintf("org_%d", n)}},
					"next":          tc.next[from],
				})
			})
			m := newTestManagement(t, srv, Config{})
			seq := m.Organizations.All(context.Background(), nil)
			got := rangeBounded(seq, x23MaxPages)
			wantErr := tc.next[tc.next[tc.next[""]]] != ""
			if !got.ended {
				t.Fatalf("the walk did not end after %d pages", got.items)
			}
			if wantErr != errors.Is(got.err, ErrPagination) {
				t.Errorf("got error %v, want ErrPagination: %v", got.err, wantErr)
			}
			if n := calls.Load(); n != tc.wantPages {
				t.Errorf("requests: got %d, want %d", n, tc.wantPages)
			}
			// A second range is a new walk: the cursors of the first are
			// forgotten.
			if again := rangeBounded(seq, x23MaxPages); again.items != got.items || errors.Is(again.err, ErrPagination) != wantErr {
				t.Errorf("second range: got %d items, %v; want %d items as the first", again.items, again.err, got.items)
			}
		})
	}
}

// TestX23RepeatedOffsetPage: a server that ignores page and answers the
// same full page again must end the walk with ErrPagination after the
// second page, in both list shapes.
func TestX23RepeatedOffsetPage(t *testing.T) {
	for _, totals := range []bool{true, false} {
		t.Run("totals "+strconv.FormatBool(totals), func(t *testing.T) {
			var calls atomic.Int32
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				users := []map[string]any{{"user_id": "a"}, {"user_id": "b"}, {"user_id": "c"}}
				if !totals {
					json.NewEncoder(w).Encode(users)
					return
				}
				json.NewEncoder(w).Encode(map[string]any{"users": users, "start": 0, "limit": 3, "length": 3, "total": 500})
			})
			m := newTestManagement(t, srv, Config{})
			opts := &UserListOptions{Offset: Offset{PerPage: 3, IncludeTotals: Bool(totals)}}
			got := rangeBounded(m.Users.All(context.Background(), opts), x23MaxPages*3)
			if !got.ended || !errors.Is(got.err, ErrPagination) {
				t.Fatalf("got %d items, error %v, ended %v; want ErrPagination", got.items, got.err, got.ended)
			}
			if got.items != 3 || calls.Load() != 2 {
				t.Errorf("got %d items in %d requests, want 3 in 2", got.items, calls.Load())
			}
		})
	}
}

// TestX23OffsetLimit: Auth0 serves at most 1000 results through
// page/per_page; a walk that reaches them with more to come ends with an
// error that says so, instead of asking for a page the API refuses (or,
// against a server without the limit, walking on).
func TestX23OffsetLimit(t *testing.T) {
	cases := []struct {
		name      string
		total     int
		totals    bool
		wantItems int
		wantErr   bool
	}{
		{"1500 with totals", 1500, true, 1000, true},
		{"1500 as arrays", 1500, false, 1000, true},
		{"exactly 1000 with totals", 1000, true, 1000, false},
		{"999", 999, false, 999, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				q := r.URL.Query()
				page, _ := strconv.Atoi(q.Get("page"))
				per, _ := strconv.Atoi(q.Get("per_page"))
				users := []map[string]any{}
				for i := page * per; i < min((page+1)*per, tc.total); i++ {
					users = append(users, map[string]any{"user_id": fmt.Sprintf("auth0|%d", i)})
				}
				if !tc.totals {
					json.NewEncoder(w).Encode(users)
					return
				}
				json.NewEncoder(w).Encode(map[string]any{"users": users, "start": page * per, "limit": per, "length": len(users), "total": tc.total})
			})
			m := newTestManagement(t, srv, Config{})
			opts := &UserListOptions{Offset: Offset{PerPage: 100, IncludeTotals: Bool(tc.totals)}}
			got := rangeBounded(m.Users.All(context.Background(), opts), 5000)
			if got.items != tc.wantItems || errors.Is(got.err, ErrPagination) != tc.wantErr {
				t.Errorf("got %d items, error %v; want %d items, ErrPagination %v", got.items, got.err, tc.wantItems, tc.wantErr)
			}
			if n := calls.Load(); n > 10 {
				t.Errorf("requests: got %d, want at most 10 (no page past the limit)", n)
			}
		})
	}
}
