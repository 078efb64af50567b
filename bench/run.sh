#!/usr/bin/env bash
# Runs the verification benchmarks of the bench module, then the end-to-end
# HTTP benchmark, and writes RESULTS.md.
#
#   ./run.sh                 # 10 passes and 5 e2e rounds: the figures to publish (quiet machine: ~20 min)
#   COUNT=3 ./run.sh         # a quicker, noisier run
#   BENCH='Verify/alg=RS256' ./run.sh   # a subset (the report marks what is missing; -test.bench matches level by level, so alg= needs the Verify/ before it)
#   NOTE='text' ./run.sh     # a note printed at the top of RESULTS.md
#
# End-to-end part (bench/e2e, cmd/e2e): each server of `e2e list` runs in its
# own process on loopback and is loaded by wrk (installed with apt-get when
# absent and we are root) or, without wrk, by the Go driver (`e2e load`),
# with the 64 tokens of the server round-robin on E2E_CONNS keep-alive
# connections. Rounds rotate the order of the servers so that noise hits all
# alike; the report takes the median of the rounds.
#
#   E2E=0                    # skip it
#   E2E_DRIVER=auto|wrk|go|both   # auto (default): wrk when available, else go
#   E2E_ROUNDS=5 E2E_DURATION=10s E2E_WARMUP=2s E2E_CONNS=16 E2E_WRK_THREADS=2
#
# The verification benchmarks run as COUNT passes of -count=1 over every row
# (one test binary, built once), appended to results/raw.txt: every row gets
# one sample per pass, so load that drifts during the run (a shared machine)
# touches all rows alike instead of the rows that happened to run while it
# lasted, as the consecutive runs of -count=N did. benchstat and cmd/report
# read the passes as they read -count=N output.
#
# Instruction counts (optional): when valgrind is installed, each
# algorithm's floor-primitive, tokengate and tokengate-custom rows (and the
# JWE floor-primitive and tokengate rows, at a tenth of the iterations) run once
# more under callgrind (GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 GOGC=off,
# collection limited to the verification), at two iteration counts; the
# difference divided by the difference of the counts is the instructions
# per verification (the least of three runs at each count: callgrind now
# and then loses track of a Go call stack and counts a little too much):
# repeatable to about 0.5 %, where the times move with the load of the
# machine. They go to results/icount.txt and into RESULTS.md; they take
# about three minutes.
#
#   ICOUNT=0                 # skip them (ICOUNT_N1=200 ICOUNT_N2=1000 by default; HS256 5 times both)
#
# Raw output, machine description, versions and benchstat's summary go to
# results/, so that RESULTS.md can be regenerated (go run ./cmd/report -dir results)
# and compared with later runs (benchstat results/raw.txt other.txt).
set -euo pipefail
cd "$(dirname "$0")"

COUNT=${COUNT:-10}
BENCH=${BENCH:-.}
BENCHTIME=${BENCHTIME:-1s}
E2E=${E2E:-1}
ICOUNT=${ICOUNT:-1}
ICOUNT_N1=${ICOUNT_N1:-200}
ICOUNT_N2=${ICOUNT_N2:-1000}
E2E_DRIVER=${E2E_DRIVER:-auto}
E2E_ROUNDS=${E2E_ROUNDS:-5}
E2E_DURATION=${E2E_DURATION:-10s}
E2E_WARMUP=${E2E_WARMUP:-2s}
E2E_CONNS=${E2E_CONNS:-16}
E2E_WRK_THREADS=${E2E_WRK_THREADS:-2}
# The version go-partial.tsv lists for golang.org/x/perf; the same one go.mod requires.
BENCHSTAT_VERSION=v0.0.0-20260908200009-22c9c6c9d4da
OUT=results

step() { printf '\n=== %s\n' "$*" >&2; }

step "benchstat"
BENCHSTAT=$(command -v benchstat || true)
if [ -z "$BENCHSTAT" ]; then
  GOBIN_DIR=$(go env GOBIN)
  [ -n "$GOBIN_DIR" ] || GOBIN_DIR="$(go env GOPATH)/bin"
  if [ ! -x "$GOBIN_DIR/benchstat" ]; then
    go install "golang.org/x/perf/cmd/benchstat@${BENCHSTAT_VERSION}"
  fi
  BENCHSTAT="$GOBIN_DIR/benchstat"
fi
echo "$BENCHSTAT" >&2

step "correctness (every contender accepts the good token and rejects the bad ones)"
go test -count=1 -run 'TestCorrectness|TestPrimitive|TestJWECorrectness|TestJWEPrimitive' .

mkdir -p "$OUT"
rm -f "$OUT"/e2e.txt "$OUT"/e2e-benchstat.txt "$OUT"/e2e-wrk.log "$OUT"/icount.txt
BIN=$(mktemp -d)
trap 'rm -rf "$BIN"' EXIT
go test -c -o "$BIN/bench.test" .
cmd="bench.test -test.run '^\$' -test.bench '${BENCH}' -test.benchmem -test.benchtime=${BENCHTIME} -test.count=1, ${COUNT} passes"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu: $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "cores: $(grep -c '^processor' /proc/cpuinfo)"
  echo "go: $(go env GOVERSION) $(go env GOOS)/$(go env GOARCH)"
  echo "command: ${cmd}"
  echo "load-before: $(cut -d' ' -f1-3 /proc/loadavg)"
  [ -z "${NOTE:-}" ] || echo "note: ${NOTE}"
} > "$OUT/meta.txt"

go list -m github.com/tokengate/tokengate \
  github.com/golang-jwt/jwt/v5 github.com/MicahParks/keyfunc/v3 github.com/MicahParks/jwkset \
  github.com/go-jose/go-jose/v4 gopkg.in/go-jose/go-jose.v2 \
  github.com/auth0/go-jwt-middleware/v3 github.com/auth0/go-jwt-middleware/v2 \
  github.com/coreos/go-oidc/v3 github.com/lestrrat-go/jwx/v2 github.com/lestrrat-go/jwx/v3 \
  > "$OUT/versions.txt"

: > "$OUT/raw.txt"
for pass in $(seq 1 "$COUNT"); do
  step "pass ${pass}/${COUNT}: $cmd"
  "$BIN/bench.test" -test.run '^$' -test.bench "$BENCH" -test.benchmem -test.benchtime="$BENCHTIME" -test.count=1 | tee -a "$OUT/raw.txt"
done
echo "load-after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/meta.txt"

if [ "$ICOUNT" != 0 ] && command -v valgrind >/dev/null; then
  step "instruction counts (callgrind)"
  # icount ALG LIB N: the instructions callgrind counts, for N iterations
  # of the row, inside the function each of them calls: the floor's
  # benchmark function (its loop), Verifier.Verify or Typed.Verify (so that
  # building the verifier, whose key checks cost what the random key makes
  # them cost, is not counted; the few calls of the checks before the timer
  # are, alike for both N).
  icount() {
    local fn='*bench_test.benchPrimitive'
    case $1/$2 in
      JWE/floor-primitive) fn='*bench_test.benchJWEPrimitive' ;;
      */tokengate) fn='*verifier.(*Verifier).Verify' ;;
      */tokengate-custom) fn='*verifier.(*Typed*).Verify' ;;
    esac
    GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 GOGC=off valgrind --tool=callgrind --toggle-collect="$fn" \
      --callgrind-out-file="$BIN/cg.out" "$BIN/bench.test" -test.run '^$' -test.bench "^BenchmarkVerify\$/^alg=$1\$/^lib=$2\$" \
      -test.benchtime="${3}x" -test.count=1 >/dev/null 2>"$BIN/cg.log" || { tail -5 "$BIN/cg.log" >&2; return 1; }
    awk '/^(summary|totals):/ { print $2; exit }' "$BIN/cg.out"
  }
  # icount_min: the least of three counts. callgrind now and then loses
  # track of a Go call stack (goroutine stacks move) and goes on counting
  # past the function, one-off extra counts that the least of three runs
  # leaves out.
  icount_min() {
    local best= n
    for _ in 1 2 3; do
      n=$(icount "$@") || return 1
      if [ -z "$best" ] || [ "$n" -lt "$best" ]; then best=$n; fi
    done
    echo "$best"
  }
  echo "icount: $(valgrind --version) callgrind, GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 GOGC=off, (Ir(N2) - Ir(N1)) / (N2 - N1), the least of 3 runs at each of N1=${ICOUNT_N1} N2=${ICOUNT_N2} (HS256: 5 times both; JWE: a tenth of both)" >> "$OUT/meta.txt"
  for alg in RS256 HS256 ES256 JWE; do
    n1=$ICOUNT_N1 n2=$ICOUNT_N2 libs="floor-primitive tokengate tokengate-custom"
    case $alg in
      HS256) n1=$((5 * n1)) n2=$((5 * n2)) ;;
      # About 18M instructions a token (the RSA private-key operation): a
      # tenth of the iterations keeps the difference far above the noise.
      JWE) n1=$((n1 / 10)) n2=$((n2 / 10)) libs="floor-primitive tokengate" ;;
    esac
    for lib in $libs; do
      a=$(icount_min "$alg" "$lib" "$n1") && b=$(icount_min "$alg" "$lib" "$n2") || { echo "callgrind failed: no instruction counts" >&2; rm -f "$OUT/icount.txt"; break 2; }
      printf 'BenchmarkVerify/alg=%s/lib=%s %d %d instructions/op\n' "$alg" "$lib" $((n2 - n1)) $(( (b - a) / (n2 - n1) )) | tee -a "$OUT/icount.txt"
    done
  done
fi

step "benchstat"
"$BENCHSTAT" -table /alg -row /lib "$OUT/raw.txt" > "$OUT/benchstat.txt"

if [ "$E2E" != 0 ]; then
  step "end-to-end HTTP benchmark"
  case "$E2E_DRIVER" in
    auto|wrk|both)
      if ! command -v wrk >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null 2>&1; } || true
      fi
      if command -v wrk >/dev/null; then
        case "$E2E_DRIVER" in auto|wrk) DRIVERS="wrk" ;; both) DRIVERS="wrk go" ;; esac
      elif [ "$E2E_DRIVER" = auto ]; then
        echo "wrk is not available: the Go driver's figures are used" >&2
        DRIVERS="go"
      else
        echo "E2E_DRIVER=$E2E_DRIVER but wrk is not available" >&2
        exit 1
      fi ;;
    go) DRIVERS="go" ;;
    *) echo "E2E_DRIVER must be auto, wrk, go or both" >&2; exit 1 ;;
  esac

  TMP=$(mktemp -d)
  SERVER_PID=
  cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$TMP" "$BIN"
  }
  trap cleanup EXIT
  go build -o "$TMP/e2e" ./cmd/e2e
  CLK_TCK=$(getconf CLK_TCK)
  # CPU time of the server process so far, in clock ticks (utime + stime,
  # fields 14 and 15 of /proc/PID/stat; the command name in field 2 has no
  # spaces here).
  server_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
  mapfile -t SERVERS < <("$TMP/e2e" list)
  n=${#SERVERS[@]}
  {
    echo "e2e-drivers: ${DRIVERS}"
    if command -v wrk >/dev/null; then echo "e2e-wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"; fi
    echo "e2e-wrk-command: wrk -t${E2E_WRK_THREADS} -c${E2E_CONNS} -d${E2E_DURATION} --timeout 10s -s e2e/wrk.lua URL -- TOKENS (after a ${E2E_WARMUP} wrk warm-up)"
    echo "e2e-go-command: e2e load -c ${E2E_CONNS} -d ${E2E_DURATION} (after a ${E2E_WARMUP} warm-up run)"
    echo "e2e-rounds: ${E2E_ROUNDS}"
    echo "e2e-load-before: $(cut -d' ' -f1-3 /proc/loadavg)"
  } >> "$OUT/meta.txt"

  for round in $(seq 1 "$E2E_ROUNDS"); do
    for i in $(seq 0 $((n - 1))); do
      s=${SERVERS[$(( (i + round - 1) % n ))]}
      for driver in $DRIVERS; do
        echo "--- round ${round}/${E2E_ROUNDS}: ${s} (${driver})" >&2
        # A fresh server process per measure: nothing carries over from the
        # previous one (heap, connections, caches).
        : > "$TMP/url"
        "$TMP/e2e" serve -server "$s" -tokens "$TMP/tokens" > "$TMP/url" &
        SERVER_PID=$!
        url=
        for _ in $(seq 1 300); do
          url=$(sed -n 's/^url //p' "$TMP/url")
          [ -n "$url" ] && break
          kill -0 "$SERVER_PID" 2>/dev/null || break
          sleep 0.1
        done
        if [ -z "$url" ]; then echo "server $s did not start (or failed its check)" >&2; exit 1; fi
        # Warm-up (connections open, every token verified once), then the
        # measured run, bracketed by the server's CPU time (utime+stime from
        # /proc), appended to the result line as server-cpu-ns/req.
        case "$driver" in
          wrk)
            wrk -t"$E2E_WRK_THREADS" -c"$E2E_CONNS" -d"$E2E_WARMUP" --timeout 10s -s e2e/wrk.lua "$url" -- "$TMP/tokens" > /dev/null
            cpu0=$(server_ticks)
            E2E_SERVER="$s" wrk -t"$E2E_WRK_THREADS" -c"$E2E_CONNS" -d"$E2E_DURATION" --timeout 10s -s e2e/wrk.lua \
              "$url" -- "$TMP/tokens" > "$TMP/load.out"
            cpu1=$(server_ticks)
            cat "$TMP/load.out" >> "$OUT/e2e-wrk.log"
            ;;
          go)
            "$TMP/e2e" load -url "$url" -tokens "$TMP/tokens" -server "$s" -c "$E2E_CONNS" -d "$E2E_WARMUP" -warmup 0 > /dev/null
            cpu0=$(server_ticks)
            "$TMP/e2e" load -url "$url" -tokens "$TMP/tokens" -server "$s" -c "$E2E_CONNS" -d "$E2E_DURATION" -warmup 0 \
              > "$TMP/load.out"
            cpu1=$(server_ticks)
            ;;
        esac
        line=$(grep '^BenchmarkE2E' "$TMP/load.out")
        case "$line" in *$'\t'"0 failures") ;; *) echo "$line"; echo "requests failed against $s" >&2; exit 1 ;; esac
        line=$(printf '%s\n' "$line" | awk -F'\t' -v t=$((cpu1 - cpu0)) -v hz="$CLK_TCK" \
          '$2 > 0 { printf "%s\t%.0f server-cpu-ns/req\n", $0, t * 1e9 / hz / $2 }')
        echo "$line" | tee -a "$OUT/e2e.txt"
        kill "$SERVER_PID"
        wait "$SERVER_PID" || true
        SERVER_PID=
      done
    done
  done
  echo "e2e-load-after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/meta.txt"
  "$BENCHSTAT" -table /driver -row /server "$OUT/e2e.txt" > "$OUT/e2e-benchstat.txt"
fi

step "RESULTS.md"
go run ./cmd/report -dir "$OUT" -o RESULTS.md
echo "wrote $(pwd)/RESULTS.md" >&2
