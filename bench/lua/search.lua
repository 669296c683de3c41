-- ListUserMetadata with a key query on a cached user.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.headers["Content-Type"] = "application/json"
wrk.path = "/management/v1/users/" .. os.getenv("USER_ID") .. "/metadata/_search"
wrk.body = '{"query":{"limit":10},"queries":[{"keyQuery":{"key":"key-1","method":"TEXT_QUERY_METHOD_STARTS_WITH"}}]}'
