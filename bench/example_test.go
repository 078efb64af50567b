package bench_test

import (
	"context"
	"fmt"
	"time"

	"github.com/tokengate/tokengate/bench"
)

// Every contender is checked on the same tokens before it is timed.
func ExampleCheck() {
	keys, err := bench.NewKeys()
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := bench.NewFixture(bench.HS256, keys, time.Now())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range bench.Contenders() {
		if c.Name != bench.NameTokengate {
			continue
		}
		verify, done, err := c.New(f)
		if err != nil {
			fmt.Println(err)
			return
		}
		defer done()
		ctx := context.Background()
		for _, tc := range bench.Cases(f) {
			fmt.Printf("%s: accepted=%v\n", tc.Name, verify(ctx, tc.Token) == nil)
		}
		fmt.Println("check:", bench.Check(ctx, f, verify))
	}
	// Output:
	// good: accepted=true
	// expired: accepted=false
	// wrong-audience: accepted=false
	// wrong-issuer: accepted=false
	// bad-signature: accepted=false
	// check: <nil>
}
