package management

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
)

// defaultIterPageSize is the page size of the iterators when the caller sets
// none (the API's maximum is 100; 50 is its default).
const defaultIterPageSize = 50

// MaxOffsetResults is how many results Auth0 serves through page/per_page
// pagination: past it the API refuses the page ("You can only page through
// the first 1000 records"). Checkpoint pagination (from/take), a narrower
// query, or an export job reach the others.
const MaxOffsetResults = 1000

// ErrPagination is wrapped by the error an iterator yields when a list's
// pages do not end as a list's pages must: a checkpoint cursor seen before
// in the same walk (A→B→A, A→A), a page whose items are byte for byte those
// of the page before (a server that ignores page or from), or an offset
// walk that reached MaxOffsetResults with more results to come (then the
// error wraps ErrOffsetLimit too). The items yielded before it are real;
// the walk is incomplete.
var ErrPagination = errors.New("management: the list's pagination does not end")

// ErrOffsetLimit is wrapped, with ErrPagination, by the error of an offset
// walk that reached MaxOffsetResults while the list has (or may have) more.
// The walk ends with an error rather than quietly: a caller that took the
// first 1000 results for the whole list (to sync members, say) would act on
// a truncated list.
var ErrOffsetLimit = errors.New("management: Auth0 serves at most 1000 results through page/per_page; use checkpoint pagination (from/take) or a narrower query")

// advancer moves cursor past page p and reports whether there is another
// page; an error ends the walk (it is yielded once).
type advancer[T, C any] func(cursor *C, p *Page[T]) (more bool, err error)

// walk yields the items of page after page: fetch gets the page at cursor,
// the advancer (a new one for each range, so that it can remember the walk)
// moves cursor past it. It stops at the first error (yielded once, with the
// zero T), when the consumer stops, and when ctx ends (checked before each
// request and each item). A page whose items are those of the page before
// (same raw JSON) ends the walk with ErrPagination. Each range over the
// result starts again from start.
func walk[T, C any](ctx context.Context, start C, fetch func(context.Context, *C) (*Page[T], error), newAdvancer func() advancer[T, C]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		cursor := start
		advance := newAdvancer()
		var prev *Page[T]
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			p, err := fetch(ctx, &cursor)
			if err != nil {
				yield(zero, err)
				return
			}
			if prev != nil && samePage(prev, p) {
				yield(zero, fmt.Errorf("%w: a page repeats the page before it (the server ignores the page cursor)", ErrPagination))
				return
			}
			prev = p
			for _, item := range p.Items {
				if err := ctx.Err(); err != nil {
					yield(zero, err)
					return
				}
				if !yield(item, nil) {
					return
				}
			}
			more, err := advance(&cursor, p)
			if err != nil {
				yield(zero, err)
				return
			}
			if !more {
				return
			}
		}
	}
}

// samePage reports whether two non-empty pages decoded from the API hold
// the same raw items (compared by a seeded hash of their JSON; pages built
// otherwise are never the same).
func samePage[T any](a, b *Page[T]) bool {
	return a.digest != 0 && a.digest == b.digest && len(b.Items) > 0
}

// walkOffset walks an offset-paginated list from start.Page. It stops
// without the extra empty-page request of the Python SDK 5.x: after a page
// shorter than the page size, or once the totals say every item was seen
// (so it asks for totals unless start says otherwise). At MaxOffsetResults
// with more to come it stops with ErrOffsetLimit.
func walkOffset[T any](ctx context.Context, start Offset, fetch func(context.Context, *Offset) (*Page[T], error)) iter.Seq2[T, error] {
	start.PerPage = cmp.Or(start.PerPage, defaultIterPageSize)
	if start.IncludeTotals == nil {
		start.IncludeTotals = Bool(true)
	}
	return walk(ctx, start, fetch, func() advancer[T, Offset] {
		return func(o *Offset, p *Page[T]) (bool, error) {
			size := o.PerPage
			if p.Limit > 0 {
				size = min(size, p.Limit) // the server may cap the page size
			}
			// Every earlier page was full, or the walk would have stopped.
			// Both factors are bounded first: neither can overflow.
			seen := min(max(o.Page, 0), MaxOffsetResults+1)*min(size, MaxOffsetResults+1) + len(p.Items)
			if len(p.Items) == 0 || len(p.Items) < size || p.HasTotals && seen >= p.Total {
				return false, nil
			}
			if seen >= MaxOffsetResults {
				return false, fmt.Errorf("%w: %w (stopped after %d results)", ErrPagination, ErrOffsetLimit, seen)
			}
			o.Page++
			return true, nil
		}
	})
}

// walkCheckpoint walks a checkpoint-paginated list, following Page.Next
// until it is empty. A cursor seen before in the walk (the start cursor
// included) ends it with ErrPagination: the server is going round in
// circles. The cursors are remembered as seeded 64-bit hashes, 8 bytes a
// page.
func walkCheckpoint[T any](ctx context.Context, start Checkpoint, fetch func(context.Context, *Checkpoint) (*Page[T], error)) iter.Seq2[T, error] {
	start.Take = cmp.Or(start.Take, defaultIterPageSize)
	return walk(ctx, start, fetch, func() advancer[T, Checkpoint] {
		seed := maphash.MakeSeed()
		seen := map[uint64]struct{}{maphash.String(seed, start.From): {}}
		return func(c *Checkpoint, p *Page[T]) (bool, error) {
			if p.Next == "" {
				return false, nil // the last page
			}
			h := maphash.String(seed, p.Next)
			if _, ok := seen[h]; ok {
				return false, fmt.Errorf("%w: the server sent the cursor of an earlier page again", ErrPagination)
			}
			seen[h] = struct{}{}
			c.From = p.Next
			return true, nil
		}
	})
}
