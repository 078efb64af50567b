package hook

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
)

func TestRecoverStopsPanicAndLogs(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(slog.NewTextHandler(&buf, nil))
	func() {
		defer Recover(l, "test observer")
		panic(strings.Repeat("x", 1000))
	}()
	out := buf.String()
	if !strings.Contains(out, "hook=\"test observer\"") || !strings.Contains(out, "level=ERROR") {
		t.Fatalf("log = %q, want an error line naming the hook", out)
	}
	if len(out) > 400 {
		t.Fatalf("log line of %d bytes: the panic text is not bounded", len(out))
	}
	func() {
		defer Recover(nil, "nil logger")
		panic("quiet")
	}()
}

func TestRecoverWithoutPanic(t *testing.T) {
	ran := false
	func() {
		defer Recover(nil, "none")
		ran = true
	}()
	if !ran {
		t.Fatal("function did not run")
	}
}

func TestCall(t *testing.T) {
	v, err := Call(func() (int, error) { return 7, nil })
	if v != 7 || err != nil {
		t.Fatalf("Call = %d, %v; want 7, nil", v, err)
	}
	sentinel := errors.New("boom")
	if _, err := Call(func() (int, error) { return 1, sentinel }); !errors.Is(err, sentinel) {
		t.Fatalf("Call error = %v, want %v", err, sentinel)
	}
	v, err = Call(func() (int, error) { panic(errors.New("inner")) })
	if v != 0 || !errors.Is(err, ErrPanic) || !strings.Contains(err.Error(), "inner") {
		t.Fatalf("Call of a panicking func = %d, %v; want 0 and ErrPanic", v, err)
	}
	var nilMap map[string]int
	if _, err := Call(func() (int, error) { nilMap["x"] = 1; return 0, nil }); !errors.Is(err, ErrPanic) {
		t.Fatalf("runtime panic: err = %v, want ErrPanic", err)
	}
}

type panicHandler struct{ slog.Handler }

func (panicHandler) Handle(context.Context, slog.Record) error { panic("the logger itself") }

func TestRecoverWithPanickingLogger(t *testing.T) {
	l := slog.New(panicHandler{slog.NewTextHandler(io.Discard, nil)})
	func() {
		defer Recover(l, "observer")
		panic("observer bug")
	}()
}

func TestEachRunsEveryHookAndRaisesTheFirstPanic(t *testing.T) {
	var ran []int
	var got any
	func() {
		defer func() { got = recover() }()
		Each([]int{1, 2, 3}, func(i int) {
			ran = append(ran, i)
			if i != 3 {
				panic(i)
			}
		})
	}()
	if len(ran) != 3 {
		t.Fatalf("ran %v, want every hook to run", ran)
	}
	if got != 1 {
		t.Fatalf("raised %v, want the first panic (1)", got)
	}
	func() {
		defer Recover(nil, "each")
		Each([]int{1}, func(int) {})
	}()
}

// Join keeps the non-nil members in order: none is nil, one is itself,
// more go to many.
func TestJoin(t *testing.T) {
	type obs interface{ name() string }
	a, b := named("a"), named("b")
	many := func(all []obs) obs {
		var s string
		for _, o := range all {
			s += o.name()
		}
		return named(s)
	}
	for _, tc := range []struct {
		in   []obs
		want obs
	}{
		{nil, nil},
		{[]obs{nil, nil}, nil},
		{[]obs{nil, a}, a},
		{[]obs{a, nil, b}, named("ab")},
		{[]obs{b, a, a}, named("baa")},
	} {
		if got := Join(tc.in, many); got != tc.want {
			t.Errorf("Join(%v): got %v, want %v", tc.in, got, tc.want)
		}
	}
}

type named string

func (n named) name() string { return string(n) }
