"""Toggle latency from one warm keep-alive HTTP/1.1 client: flips a flag N times, prints p50/p99.

usage: python3 bench/toggle_latency.py <admin token> <flips> <pause seconds> [base url] [project] [flag]
The flag must exist (boolean). Against a server started with the README's command.
"""
import http.client
import sys
import time
import urllib.parse

token, flips, pause = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
base = urllib.parse.urlparse(sys.argv[4] if len(sys.argv) > 4 else "http://localhost:8080")
project = sys.argv[5] if len(sys.argv) > 5 else "default"
flag = sys.argv[6] if len(sys.argv) > 6 else "lat"
connection = http.client.HTTPConnection(base.hostname, base.port or 80)
times = []
for i in range(flips):
    path = f"/api/v1/projects/{project}/flags/{flag}/environments/production/{'on' if i % 2 == 0 else 'off'}"
    started = time.perf_counter()
    connection.request("POST", path, headers={"Authorization": "Bearer " + token})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        sys.exit(f"flip {i}: HTTP {response.status}")
    times.append((time.perf_counter() - started) * 1000)
    time.sleep(pause)
times.sort()
print(f"n {flips} p50 {times[flips // 2]:.2f} p99 {times[int(flips * 0.99)]:.2f} min {times[0]:.2f} max {times[-1]:.2f} ms")
