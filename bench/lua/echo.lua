-- The JSON-echo baseline: the same body size as a single-key set.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"value":"djAwMDAwMDAx"}'
wrk.path = "/echo"
