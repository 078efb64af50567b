package rest

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/internal/hook"
	"github.com/tokengate/tokengate/internal/httpx"
)

// The rate budget (client.Config.Budget): Do waits for it before every
// attempt, retries included, and tells it when an answer says the limit is
// spent. The budget is code of the application or a network store: its
// panic is an error of the request (nothing is sent), never a crash.

func (c *Client) budgetKey(r *Request) client.BudgetKey {
	return client.BudgetKey{Tenant: c.base.Host, API: c.api, Class: r.Class}
}

// waitBudget waits for the request's turn; an error (a *client.BudgetError,
// the context's error, a panic) means the attempt is not sent.
func (c *Client) waitBudget(ctx context.Context, p *prepared, key client.BudgetKey) error {
	_, err := hook.Call(func() (struct{}, error) { return struct{}{}, c.s.budget.Wait(ctx, key) })
	if err != nil {
		return fmt.Errorf("auth0: %s %s: %w", p.method, p.path, err)
	}
	return nil
}

// learnBudget pauses the budget when the answer says the limit is spent: a
// 429 (until Retry-After, else X-RateLimit-Reset), or X-RateLimit-Remaining
// 0 with an X-RateLimit-Reset. Header waits come from httpx, clamped to
// [0, 24h]; the budget bounds them further (BudgetConfig.MaxWait).
func (c *Client) learnBudget(ctx context.Context, key client.BudgetKey, res result) {
	if res.status == 0 {
		return
	}
	now := c.s.now()
	var d time.Duration
	var ok bool
	switch {
	case res.status == http.StatusTooManyRequests:
		if d, ok = httpx.RetryAfter(res.header, now); !ok {
			d, ok = httpx.RateLimitReset(res.header, now)
		}
	case headerInt(res.header, "X-RateLimit-Remaining") == 0:
		d, ok = httpx.RateLimitReset(res.header, now)
	}
	if !ok || d <= 0 {
		return
	}
	defer hook.Recover(c.s.logger, "client rate budget")
	c.s.budget.Pause(ctx, key, now.Add(d))
}
