package redisstore_test

import (
	"fmt"
	"log"

	"github.com/redis/go-redis/v9"

	"github.com/tokengate/tokengate/client"
	"github.com/tokengate/tokengate/client/management"
	"github.com/tokengate/tokengate/dpop"
	"github.com/tokengate/tokengate/redisstore"
	"github.com/tokengate/tokengate/verifier"
)

// A fleet's setup: one Store, one option per store. Nothing contacts
// Redis until the first operation (call Store.Check at start-up).
func Example() {
	rdb := redis.NewClient(&redis.Options{
		Addr:                  "127.0.0.1:6379",
		ContextTimeoutEnabled: true, // required: Timeout bounds every read and write
		MaxRetries:            -1,   // the stores decide what a failure means
	})
	store, err := redisstore.New(redisstore.Config{Client: rdb})
	if err != nil {
		log.Fatal(err)
	}
	tokens, _ := store.Tokens(redisstore.TokenConfig{})
	budget, err := store.Budget(redisstore.BudgetConfig{BudgetConfig: client.BudgetConfig{
		Rate:     15, // the tenant's Management API limit, for the whole fleet
		Classes:  map[string]float64{"users-by-email": 5},
		Replicas: 4, // during an outage each replica spends 15/4 a second
	}})
	if err != nil {
		log.Fatal(err)
	}
	replay, _ := store.Replay(redisstore.ReplayConfig{})
	revoked, _ := store.Revocations(redisstore.RevocationConfig{})

	m, err := management.New("tenant.example.com", management.Config{
		ClientID: "app", ClientSecret: "secret-from-the-environment",
		TokenStore: tokens,
		HTTP:       client.Config{Budget: budget},
	})
	if err != nil {
		log.Fatal(err)
	}
	_, err = dpop.New(dpop.Config{Replay: replay})
	if err != nil {
		log.Fatal(err)
	}
	_ = verifier.Config{Revocations: revoked} // with Issuer, Audience and Keys
	fmt.Println(m)
	// Output: management.Management{https://tenant.example.com token=client_credentials}
}
