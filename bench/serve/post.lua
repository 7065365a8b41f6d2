-- wrk script for recon serve: POSTs the file $BODY (Content-Type $CT) on every request.
-- With $WAIT set, each connection waits a random 0 to 2 * WAIT ms (whole milliseconds, wrk's
-- timer's unit) after each response before its next request: C connections then send about
-- C / (WAIT + latency) requests/s, which paces a run (Debian's wrk has no rate option). The
-- random wait keeps the connections from firing in step, in bursts no real traffic has.
-- The rate reached is reported.
-- done() prints one JSON line (prefix RESULT) with the counts and latency percentiles.
-- With $BODY empty it GETs the URL instead (the health endpoint: the server's own ceiling).
local body = os.getenv("BODY") or ""
if body ~= "" then
  local f = assert(io.open(body, "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = os.getenv("CT") or "application/json"
end
if os.getenv("TOKEN") then
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
end

local wait = tonumber(os.getenv("WAIT") or "0")
if wait > 0 then
  function delay()
    return math.random(0, 2 * wait)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_s": %.3f, "rps": %.1f, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_ms": {"mean": %.4f, "p50": %.4f, "p90": %.4f, "p99": %.4f, "p999": %.4f, "max": %.4f}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000))
end
