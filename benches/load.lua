-- wrk script for benches/load.sh: GET /api/search with a rotating set of
-- queries and filters; prints req/s, p99 latency and error counts (status
-- counts every non-2xx/3xx answer) at the end.
local queries = {
  "q=election", "q=Xi%20Putin%20summit", "q=interest%20rates&sort=date",
  "q=football%20world%20cup", "q=%22prime%20minister%22", "q=music%20award",
  "q=economy&since=2004-01-01&until=2005-12-31", "q=mobile%20phone",
  "q=oil%20prices", "q=film&limit=20", "q=tax%20budget", "q=",
  "q=game&offset=10", "q=labour%20blair", "q=broadband", "q=china%20trade",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/search?" .. queries[(i % #queries) + 1])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "requests %d in %.1f s: %.1f req/s; latency p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format(
    "errors: connect %d, read %d, write %d, timeout %d, status %d\n",
    e.connect, e.read, e.write, e.timeout, e.status))
end
