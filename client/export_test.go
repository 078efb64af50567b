package client

import "time"

// Reserve exposes LocalBudget.reserve to the tests of package client_test.
func Reserve(b *LocalBudget, key BudgetKey, limit time.Duration, class bool) (time.Duration, bool, error) {
	return b.reserve(key, limit, class)
}
