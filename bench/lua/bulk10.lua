-- Durable 10-key BulkSetUserMetadata: every request writes 10 changed keys to one of 1000 users.
-- Each wrk thread has its own run-unique prefix (so neither another thread nor an earlier run
-- already stored its values) and counter; request n goes to user n % 1000 and sets key-0..key-9
-- to the 9-byte value number (n / 1000) % 100, so each pass over the users changes every value.
-- (Before, the value was n % 100: user u always got value u % 100, and after the first 1000
-- requests of the first run every request was an unchanged write that stores nothing.)
-- src/GrpcLoad.java sends the same bodies over gRPC.
local token = os.getenv("TOKEN")
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local counter = 0
local prefix
function init(args)
  local f = assert(io.open("/dev/urandom", "rb"))
  local b1, b2, b3 = f:read(3):byte(1, 3)
  f:close()
  prefix = string.format("%d%d", b1 * 65536 + b2 * 256 + b3, tid or 0)
end

request = function()
  counter = counter + 1
  local user = "bulk-" .. prefix .. "-" .. (counter % 1000)
  local value = string.format("djAwMDAwMD%02d", math.floor(counter / 1000) % 100)
  local entries = {}
  for i = 0, 9 do
    entries[#entries + 1] = string.format('{"key":"key-%d","value":"%s"}', i, value)
  end
  local body = '{"metadata":[' .. table.concat(entries, ",") .. ']}'
  return wrk.format("POST", "/management/v1/users/" .. user .. "/metadata/_bulk",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
