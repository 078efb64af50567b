-- wrk script of the end-to-end benchmark (bench/run.sh runs it):
--   E2E_SERVER=NAME wrk -t2 -c16 -d10s -s e2e/wrk.lua URL -- TOKENS_FILE
-- Sends the bearer tokens of TOKENS_FILE (one per line) round-robin (per
-- wrk thread) on wrk's keep-alive connections, and prints one line of Go benchmark
-- output in the format of e2e.Result.BenchLine, so that the report and
-- benchstat read wrk's figures and the Go driver's alike.

local headers = {}
local i = 0

function init(args)
  local path = args[1]
  if path == nil then
    error("usage: wrk ... -s wrk.lua URL -- TOKENS_FILE")
  end
  for line in io.lines(path) do
    if #line > 0 then
      headers[#headers + 1] = { ["Authorization"] = "Bearer " .. line }
    end
  end
  if #headers == 0 then
    error("no tokens in " .. path)
  end
end

function request()
  i = i % #headers + 1
  return wrk.format("GET", nil, headers[i])
end

function done(summary, latency, requests)
  local e = summary.errors
  -- A non-2xx answer is counted in requests and in errors.status.
  local failures = e.connect + e.read + e.write + e.timeout + e.status
  local ok = summary.requests - e.status
  local secs = summary.duration / 1e6
  local rps = ok / secs
  local nsop = 0
  if rps > 0 then nsop = 1e9 / rps end
  io.write(string.format(
    "BenchmarkE2E/server=%s/driver=wrk\t%d\t%.0f ns/op\t%.1f req/s\t%.0f p50-ns\t%.0f p99-ns\t%d failures\n",
    os.getenv("E2E_SERVER") or "unknown", ok, nsop, rps,
    latency:percentile(50) * 1000, latency:percentile(99) * 1000, failures))
end
