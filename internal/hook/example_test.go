package hook_test

import (
	"errors"
	"fmt"

	"github.com/tokengate/tokengate/internal/hook"
)

func ExampleCall() {
	_, err := hook.Call(func() (bool, error) { panic("a checker bug") })
	fmt.Println(errors.Is(err, hook.ErrPanic), err)
	// Output: true tokengate: hook panicked: a checker bug
}
