package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

func main() {
	dir := flag.String("dir", "results", "directory holding raw.txt, meta.txt, versions.txt, benchstat.txt and (optional) e2e.txt, e2e-benchstat.txt, icount.txt")
	out := flag.String("o", "", "output file (default standard output)")
	flag.Parse()
	if err := run(*dir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

func run(dir, out string) error {
	raw, err := os.Open(filepath.Join(dir, "raw.txt"))
	if err != nil {
		return err
	}
	defer raw.Close()
	in := Input{}
	if in.Results, err = ParseResults(raw, "raw.txt"); err != nil {
		return err
	}
	if len(in.Results) == 0 {
		return errors.New("raw.txt holds no Verify results")
	}
	if f, err := os.Open(filepath.Join(dir, "meta.txt")); err == nil {
		in.Meta, err = ParseMeta(f)
		f.Close()
		if err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if f, err := os.Open(filepath.Join(dir, "versions.txt")); err == nil {
		in.Versions, err = ParseVersions(f)
		f.Close()
		if err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if b, err := os.ReadFile(filepath.Join(dir, "benchstat.txt")); err == nil {
		in.Benchstat = string(b)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if f, err := os.Open(filepath.Join(dir, "e2e.txt")); err == nil {
		in.E2E, err = ParseE2E(f, "e2e.txt")
		f.Close()
		if err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if b, err := os.ReadFile(filepath.Join(dir, "e2e-benchstat.txt")); err == nil {
		in.E2EBenchstat = string(b)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if f, err := os.Open(filepath.Join(dir, "icount.txt")); err == nil {
		in.ICount, err = ParseICount(f, "icount.txt")
		f.Close()
		if err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if out == "" {
		return Render(os.Stdout, in)
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := Render(f, in); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
