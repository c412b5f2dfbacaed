wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("OFREP_TOKEN")
-- 1 000 different users, so rollouts and rules see varied contexts
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"context":{"targetingKey":"user-%d","country":"%s","plan":"%s"}}',
    n % 1000, (n % 3 == 0) and "NO" or "SE", (n % 2 == 0) and "premium" or "free")
  return wrk.format(nil, os.getenv("OFREP_PATH"), nil, body)
end
