package client

import (
	"context"
	"fmt"
	"time"
)

// RateBudget spaces the requests of the API clients so that they stay
// within the tenant's rate limits instead of learning them from 429
// answers. Config.Budget sets one; without it (the default) the clients
// only react to 429s, retrying after Retry-After or X-RateLimit-Reset.
//
// The REST core calls Wait before every attempt (retries included) and
// Pause when an answer says the limit is spent: a 429, or
// X-RateLimit-Remaining 0 with an X-RateLimit-Reset. LocalBudget is the
// in-process implementation; replicas of one API share a budget through a
// store (package redisstore of the nested module
// github.com/tokengate/tokengate/redisstore implements it on Redis, with
// a LocalBudget at the rate ÷ replicas as its fallback).
//
// Implementations must be safe for concurrent use and must never poll:
// a caller that has to wait is told how long, once.
type RateBudget interface {
	// Wait returns when one more request of key may be sent: at once, or
	// after a wait that ends early when ctx does (ctx's error is returned
	// then). When the wait would be longer than the budget allows, or would
	// outlive ctx's deadline, it returns a *BudgetError at once, without
	// waiting and without taking from the budget.
	Wait(ctx context.Context, key BudgetKey) error
	// Pause records that the API said the limit of key is spent until
	// until: no request of key goes before it. A budget bounds how far
	// ahead it believes until (an answer's header is not trusted with
	// that).
	Pause(ctx context.Context, key BudgetKey, until time.Time)
}

// BudgetKey names the budget a request takes from.
type BudgetKey struct {
	// Tenant is the host (and port) of the API's base URL.
	Tenant string
	// API is "management" or "authentication".
	API string
	// Class is the endpoint class: for the Management API, the first path
	// segment under /api/v2 ("users", "users-by-email", "organizations",
	// "jobs", ...); "" for the Authentication API.
	Class string
}

// String is "tenant/api/class", for log lines and errors.
func (k BudgetKey) String() string { return k.Tenant + "/" + k.API + "/" + k.Class }

// BudgetError is returned, before anything is sent, when a request would
// have to wait for its rate budget longer than the budget allows
// (BudgetConfig.MaxWait) or than its context's deadline leaves, or when a
// shared budget configured to fail closed cannot be reached.
type BudgetError struct {
	Key BudgetKey
	// Wait is the wait that would have been needed; 0 when unknown (the
	// budget could not be reached).
	Wait time.Duration
	// Err is the cause when the budget could not be reached, else nil.
	Err error
}

func (e *BudgetError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("auth0 client: rate budget of %s unavailable: %v", e.Key, e.Err)
	}
	return fmt.Sprintf("auth0 client: rate budget of %s exhausted: the next request may go in %v", e.Key, e.Wait)
}

// Unwrap returns the cause, if any.
func (e *BudgetError) Unwrap() error { return e.Err }
