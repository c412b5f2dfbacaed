#!/usr/bin/env bash
# Creates the OFREP benchmark's flags (20: switches, rules, rollouts, strings; all client-side)
# and prints an sdk token and a client token. Needs DARKLAUNCH and TOKEN (an admin token).
set -euo pipefail
api() { curl -fsS -X "$1" "$DARKLAUNCH$2" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$3" > /dev/null; }
P=/api/v1/projects/default
for i in $(seq 1 5); do
  api POST $P/flags "{\"key\":\"switch-$i\",\"name\":\"s$i\",\"kind\":\"boolean\",\"clientSide\":true,\"variations\":[{\"value\":true},{\"value\":false}]}"
  api PUT $P/flags/switch-$i/environments/production '{"on":true,"offVariation":1,"fallthrough":{"variation":0}}'
  api POST $P/flags "{\"key\":\"rule-$i\",\"name\":\"r$i\",\"kind\":\"boolean\",\"clientSide\":true,\"variations\":[{\"value\":true},{\"value\":false}]}"
  api PUT $P/flags/rule-$i/environments/production '{"on":true,"offVariation":1,"fallthrough":{"variation":1},"rules":[{"clauses":[{"attribute":"country","op":"in","values":["NO","DK"]},{"attribute":"plan","op":"in","values":["premium"]}],"serve":{"variation":0}}]}'
  api POST $P/flags "{\"key\":\"rollout-$i\",\"name\":\"o$i\",\"kind\":\"boolean\",\"clientSide\":true,\"variations\":[{\"value\":true},{\"value\":false}]}"
  api PUT $P/flags/rollout-$i/environments/production '{"on":true,"offVariation":1,"fallthrough":{"rollout":{"variations":[{"variation":0,"weight":30000},{"variation":1,"weight":70000}]}}}'
  api POST $P/flags "{\"key\":\"theme-$i\",\"name\":\"t$i\",\"kind\":\"string\",\"clientSide\":true,\"variations\":[{\"value\":\"light\"},{\"value\":\"dark\"}]}"
  api PUT $P/flags/theme-$i/environments/production '{"on":true,"offVariation":0,"fallthrough":{"variation":1}}'
done
token() { curl -fsS -X POST "$DARKLAUNCH/api/v1/tokens" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "$1" | sed -E 's/.*"secret":"([^"]+)".*/\1/'; }
echo "SDK_TOKEN=$(token '{"name":"bench sdk","kind":"sdk","project":"default","environments":["production"]}')"
echo "CLIENT_TOKEN=$(token '{"name":"bench web","kind":"client","project":"default","environments":["production"],"origins":["https://shop.example.com"]}')"
