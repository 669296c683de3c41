-- The overload load: durable single-key sets (set.lua) with every response's status counted.
dofile("bench/lua/set.lua")
dofile("bench/lua/statuses.lua")
