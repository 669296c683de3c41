-- Counts responses by status class; loaded after a request script (see overload_set_eager.lua).
-- done() prints one line run.sh parses: "statuses ok=N s503=N s5xx=N other=N" (s5xx: 5xx but 503).
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok, s503, s5xx, other = 0, 0, 0, 0 end
function response(status, headers, body)
  if status == 200 then ok = ok + 1
  elseif status == 503 then s503 = s503 + 1
  elseif status >= 500 then s5xx = s5xx + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local t = {ok = 0, s503 = 0, s5xx = 0, other = 0}
  for _, th in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (th:get(k) or 0) end
  end
  io.write(string.format("statuses ok=%d s503=%d s5xx=%d other=%d secs=%.3f\n", t.ok, t.s503, t.s5xx, t.other, summary.duration / 1e6))
end
