wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("OFREP_TOKEN")
wrk.headers["If-None-Match"] = os.getenv("OFREP_ETAG")
wrk.body = '{"context":{"targetingKey":"user-42","country":"NO","plan":"premium"}}'
