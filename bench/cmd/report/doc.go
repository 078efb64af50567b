// Command report turns a run of the bench module into RESULTS.md.
//
// It reads the raw `go test -bench` output (with golang.org/x/perf/benchfmt,
// the parser benchstat uses), the machine description and the peer versions
// that run.sh wrote next to it, and optionally benchstat's own summary, and
// writes per-algorithm tables (median ns/op, allocs/op, B/op, ratios to the
// primitive floor and to tokengate), the DPoP and encrypted-token (JWE)
// tables, each with its own floor, the end-to-end HTTP results (e2e.txt:
// requests/s and latency per server, each server's ratio to the bare server,
// per load driver, wrk's figures counting when present) and the DESIGN.md
// performance targets marked met or not met.
//
//	go run ./cmd/report -dir results > RESULTS.md
//
// Medians are what benchstat reports as the center; with 10 passes they are
// stable to a few percent on a quiet machine. run.sh makes its passes
// interleaved (-count=1 over every row, COUNT times), so that load that
// drifts during a run touches every row alike; the results of the passes
// are read as those of -count=N. When run.sh could count instructions under
// valgrind (icount.txt), the report adds them per algorithm for the floor
// and tokengate: figures repeatable to about 0.5 % beside the times. End-to-end figures are the
// medians of run.sh's rounds. A target whose inputs are
// missing from the run is reported as not measured, never as met.
package main
