#!/usr/bin/env bash
# Runs the verification benchmarks of the bench module and writes RESULTS.md.
#
#   ./run.sh                 # -count=10, the figures to publish (needs a quiet machine: ~10 min)
#   COUNT=3 ./run.sh         # a quicker, noisier run
#   BENCH='alg=RS256' ./run.sh   # a subset (the report marks what is missing)
#   NOTE='text' ./run.sh     # a note printed at the top of RESULTS.md
#
# Raw output, machine description, versions and benchstat's summary go to
# results/, so that RESULTS.md can be regenerated (go run ./cmd/report -dir results)
# and compared with later runs (benchstat results/raw.txt other.txt).
set -euo pipefail
cd "$(dirname "$0")"

COUNT=${COUNT:-10}
BENCH=${BENCH:-.}
BENCHTIME=${BENCHTIME:-1s}
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
go test -count=1 -run 'TestCorrectness|TestPrimitive' .

mkdir -p "$OUT"
cmd="go test -run '^\$' -bench '${BENCH}' -benchmem -benchtime=${BENCHTIME} -count=${COUNT} ."
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

step "$cmd"
eval "$cmd" | tee "$OUT/raw.txt"
echo "load-after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/meta.txt"

step "benchstat"
"$BENCHSTAT" -table /alg -row /lib "$OUT/raw.txt" > "$OUT/benchstat.txt"

step "RESULTS.md"
go run ./cmd/report -dir "$OUT" -o RESULTS.md
echo "wrote $(pwd)/RESULTS.md" >&2
