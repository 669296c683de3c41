-- A non-metadata path that upstream mode streams through unchanged (and nginx proxies).
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "x")
wrk.path = "/management/v1/orgs/me"
