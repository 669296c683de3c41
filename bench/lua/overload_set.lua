-- The overload load, from clients that do what a 503 asks: durable single-key sets (set.lua) with
-- every response's status counted (statuses.lua), and after a 503 the connection waits the
-- answer's Retry-After (plus up to 10% jitter, so refused clients do not return in lockstep)
-- before its next request, as SDKs with a retry policy do. Any other answer: the next request
-- goes at once. See overload_set_eager.lua for clients that ignore Retry-After.
--
-- wrk calls delay() without saying for which connection. It calls it once per answer, after that
-- answer's response() and before the connection's next request, in the order the answers were
-- read (a connection's delay() comes one event-loop turn after its response()), so response()
-- queues the wait its answer asks for and delay() takes them first in, first out. When answers of
-- several connections arrive in one turn a wait may land on another of those connections; the
-- number and length of waits are exact.
dofile("bench/lua/set.lua")
dofile("bench/lua/statuses.lua")
local count = response
local waits, first, last = {}, 1, 0
response = function(status, headers, body)
  count(status, headers, body)
  local ms = 0
  if status == 503 then
    local s = tonumber(headers["retry-after"] or headers["Retry-After"] or "")
    if s then ms = math.floor(s * 1000 * (1 + 0.1 * math.random())) end
  end
  last = last + 1
  waits[last] = ms
end
delay = function()
  if first > last then return 0 end
  local ms = waits[first]
  waits[first] = nil
  first = first + 1
  return ms
end
