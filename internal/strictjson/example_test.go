package strictjson_test

import (
	"errors"
	"fmt"

	"github.com/tokengate/tokengate/internal/strictjson"
)

// Valid refuses what encoding/json would let through: here two names that
// differ only by case, which encoding/json merges into one struct field.
func ExampleValid() {
	fmt.Println(strictjson.Valid([]byte(`{"alg":"RS256","typ":"JWT"}`)))
	fmt.Println(strictjson.Valid([]byte(`{"alg":"RS256","ALG":"none"}`)))
	fmt.Println(strictjson.Valid([]byte(`{"alg":"RS256"} {}`)))
	// Output:
	// <nil>
	// duplicate JSON member name
	// data after the JSON value
}

// A Scanner reads members in place; NextMember refuses duplicate names as it
// goes.
func ExampleScanner() {
	s := strictjson.NewScanner([]byte(`{"sub":"alice","exp":1800000000,"roles":["admin"]}`))
	if err := s.BeginObject(); err != nil {
		fmt.Println(err)
		return
	}
	var m strictjson.Members
	for {
		name, ok, err := s.NextMember(&m)
		if err != nil {
			fmt.Println(err)
			return
		}
		if !ok {
			break
		}
		switch s.Peek() {
		case strictjson.String:
			v, _, err := s.ReadString()
			if err != nil {
				fmt.Println(err)
				return
			}
			fmt.Printf("%s: %s\n", name, v)
		case strictjson.Number:
			f, err := s.ReadFloat()
			if err != nil {
				fmt.Println(err)
				return
			}
			fmt.Printf("%s: %.0f\n", name, f)
		default:
			if err := s.Skip(); err != nil {
				fmt.Println(err)
				return
			}
			fmt.Printf("%s: skipped\n", name)
		}
	}
	fmt.Println(s.End())
	// Output:
	// sub: alice
	// exp: 1800000000
	// roles: skipped
	// <nil>
}

// SkipRaw lets a caller refuse one element with duplicate names and keep
// reading the others, as jwks does with the entries of "keys".
func ExampleScanner_SkipRaw() {
	s := strictjson.NewScanner([]byte(`[{"kid":"a"}, {"kid":"b","KID":"c"}, {"kid":"d"}]`))
	if err := s.BeginArray(); err != nil {
		fmt.Println(err)
		return
	}
	for {
		more, err := s.NextElement()
		if err != nil {
			fmt.Println(err)
			return
		}
		if !more {
			break
		}
		raw, err := s.SkipRaw()
		switch {
		case errors.Is(err, strictjson.ErrDuplicate):
			fmt.Printf("dropped %s\n", raw)
		case err != nil:
			fmt.Println(err) // anything else refuses the document
			return
		default:
			fmt.Printf("kept %s\n", raw)
		}
	}
	fmt.Println(s.End())
	// Output:
	// kept {"kid":"a"}
	// dropped {"kid":"b","KID":"c"}
	// kept {"kid":"d"}
	// <nil>
}
