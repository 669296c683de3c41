-- Cached GetUserMetadata with a valid JWT: TOKEN, USER and KEY come from the environment.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.path = "/management/v1/users/" .. os.getenv("USER_ID") .. "/metadata/" .. os.getenv("KEY")
