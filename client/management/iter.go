package management

import (
	"cmp"
	"context"
	"iter"
)

// defaultIterPageSize is the page size of the iterators when the caller sets
// none (the API's maximum is 100; 50 is its default).
const defaultIterPageSize = 50

// walk yields the items of page after page: fetch gets the page at cursor,
// advance moves cursor past it and reports whether there is another. It
// stops at the first error (yielded once, with the zero T), when the
// consumer stops, and when ctx ends (checked before each request and each
// item). Each range over the result starts again from start.
func walk[T, C any](ctx context.Context, start C, fetch func(context.Context, *C) (*Page[T], error), advance func(*C, *Page[T]) bool) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		cursor := start
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
			for _, item := range p.Items {
				if err := ctx.Err(); err != nil {
					yield(zero, err)
					return
				}
				if !yield(item, nil) {
					return
				}
			}
			if !advance(&cursor, p) {
				return
			}
		}
	}
}

// walkOffset walks an offset-paginated list from start.Page. It stops
// without the extra empty-page request of the Python SDK 5.x: after a page
// shorter than the page size, or once the totals say every item was seen
// (so it asks for totals unless start says otherwise).
func walkOffset[T any](ctx context.Context, start Offset, fetch func(context.Context, *Offset) (*Page[T], error)) iter.Seq2[T, error] {
	start.PerPage = cmp.Or(start.PerPage, defaultIterPageSize)
	if start.IncludeTotals == nil {
		start.IncludeTotals = Bool(true)
	}
	return walk(ctx, start, fetch, func(o *Offset, p *Page[T]) bool {
		size := o.PerPage
		if p.Limit > 0 {
			size = min(size, p.Limit) // the server may cap the page size
		}
		// Every earlier page was full, or the walk would have stopped.
		seen := o.Page*size + len(p.Items)
		if len(p.Items) == 0 || len(p.Items) < size || p.HasTotals && seen >= p.Total {
			return false
		}
		o.Page++
		return true
	})
}

// walkCheckpoint walks a checkpoint-paginated list, following Page.Next
// until it is empty.
func walkCheckpoint[T any](ctx context.Context, start Checkpoint, fetch func(context.Context, *Checkpoint) (*Page[T], error)) iter.Seq2[T, error] {
	start.Take = cmp.Or(start.Take, defaultIterPageSize)
	return walk(ctx, start, fetch, func(c *Checkpoint, p *Page[T]) bool {
		if p.Next == "" || p.Next == c.From {
			return false // the last page (or a server repeating itself)
		}
		c.From = p.Next
		return true
	})
}
