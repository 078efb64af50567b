package management

import (
	"cmp"
	"context"
	"iter"
)

// defaultIterPageSize is the page size of the iterators when the caller sets
// none (the API's maximum is 100; 50 is its default).
const defaultIterPageSize = 50

// walkOffset yields every item of an offset-paginated list, fetching page
// after page from start.Page. It stops without the extra empty-page request
// of the Python SDK 5.x: after a page shorter than the page size, or once
// the totals say every item was seen. It stops at the first error (yielded
// once, with the zero T), when the consumer stops, and when ctx ends.
func walkOffset[T any](ctx context.Context, start Offset, fetch func(context.Context, *Offset) (*Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		o := start
		o.PerPage = cmp.Or(o.PerPage, defaultIterPageSize)
		seen := o.Page * o.PerPage
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			p, err := fetch(ctx, &o)
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
			seen += len(p.Items)
			size := o.PerPage
			if p.Limit > 0 {
				size = min(size, p.Limit) // the server may cap the page size
			}
			switch {
			case len(p.Items) == 0, len(p.Items) < size:
				return
			case p.HasTotals && seen >= p.Total:
				return
			}
			o.Page++
		}
	}
}

// walkCheckpoint yields every item of a checkpoint-paginated list, following
// Page.Next until it is empty. Errors, consumer stops and ctx end it as for
// walkOffset.
func walkCheckpoint[T any](ctx context.Context, start Checkpoint, fetch func(context.Context, *Checkpoint) (*Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		c := start
		c.Take = cmp.Or(c.Take, defaultIterPageSize)
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			p, err := fetch(ctx, &c)
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
			if p.Next == "" || p.Next == c.From {
				return // the last page (or a server repeating itself)
			}
			c.From = p.Next
		}
	}
}
