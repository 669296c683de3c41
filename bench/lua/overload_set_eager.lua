-- The overload load from clients that ignore Retry-After: durable single-key sets (set.lua) with
-- every response's status counted (statuses.lua), and each connection's next request sent the
-- moment an answer arrives, 503 or not, as a naive retry loop does. Compare
-- src/RetryAfterLoad.java, the clients that wait Retry-After.
dofile("bench/lua/set.lua")
dofile("bench/lua/statuses.lua")
