-- Durable single-key SetUserMetadata: each request sets one key of one of 1000 users to a value
-- that differs from the key's previous one, so every request is a real, fsync'd change.
local token = os.getenv("TOKEN")
local counter = 0
local prefix = tostring(math.random(1, 1000000))
request = function()
  counter = counter + 1
  local path = "/management/v1/users/set-" .. prefix .. "-" .. (counter % 1000) .. "/metadata/key-" .. (counter % 7)
  local body = string.format('{"value":"djAwMDAwMD%02d"}', counter % 97)
  return wrk.format("POST", path,
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
