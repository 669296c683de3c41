-- Durable 10-key BulkSetUserMetadata: every request writes 10 changed keys to one of 1000 users.
local token = os.getenv("TOKEN")
local counter = 0
local prefix = tostring(math.random(1, 1000000))
request = function()
  counter = counter + 1
  local user = "bulk-" .. prefix .. "-" .. (counter % 1000)
  local entries = {}
  for i = 0, 9 do
    entries[#entries + 1] = string.format('{"key":"key-%d","value":"%s"}', i, string.format("djAwMDAwMD%02d", counter % 100))
  end
  local body = '{"metadata":[' .. table.concat(entries, ",") .. ']}'
  return wrk.format("POST", "/management/v1/users/" .. user .. "/metadata/_bulk",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
