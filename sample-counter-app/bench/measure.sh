#!/usr/bin/env bash
# Measures the counter app's page throughput, latency and RSS under load, with the JVM options
# it ships for a 256 MB Cloud Foundry container (JAVA_OPTS in manifests/sample-counter-app/manifest.yml). Everything binds 127.0.0.1 on
# free ports and is stopped on exit.
#
# Needs: the built jar (./mvnw -pl sample-counter-app package), redis-server, python3, wrk, curl.
# Usage: sample-counter-app/bench/measure.sh [duration, default 10s] [connections, default 16]
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${1:-10s}"
CONNECTIONS="${2:-16}"
JAR=target/sample-counter-app.jar
[ -f "$JAR" ] || { echo "measure.sh: $JAR missing; run ./mvnw -B -ntp -pl sample-counter-app package first" >&2; exit 1; }
MANIFEST=../manifests/sample-counter-app/manifest.yml
JAVA_OPTS="$(sed -n 's/^ *JAVA_OPTS: "\(.*\)"$/\1/p' "$MANIFEST")"
[ -n "$JAVA_OPTS" ] || { echo "measure.sh: JAVA_OPTS not found in $MANIFEST" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
REDIS_PORT="$(free_port)"; CONSUL_PORT="$(free_port)"; APP_PORT="$(free_port)"
WORK="$(mktemp -d)"
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT

redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$WORK" --appendonly yes --save "" >"$WORK/redis.log" 2>&1 &
pids+=($!)
python3 bench/consul-standin.py "$CONSUL_PORT" redis "$REDIS_PORT" &
pids+=($!)
MALLOC_ARENA_MAX=2 PORT="$APP_PORT" SERVER_ADDRESS=127.0.0.1 CONSUL_HOST=127.0.0.1 CONSUL_PORT="$CONSUL_PORT" CONSUL_DC=dc1 \
	java -XX:MaxRAM=256m $JAVA_OPTS -jar "$JAR" >"$WORK/app.log" 2>&1 &
APP_PID=$!
pids+=("$APP_PID")

for _ in $(seq 1 120); do
	curl -fsS "http://127.0.0.1:$APP_PORT/actuator/health" >/dev/null 2>&1 && break
	sleep 0.5
done
curl -fsS "http://127.0.0.1:$APP_PORT/api/counter" >/dev/null || { cat "$WORK/app.log" >&2; exit 1; }

echo "java options: -XX:MaxRAM=256m (the container limit, as the JVM sees it in CF) $JAVA_OPTS; MALLOC_ARENA_MAX=2"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other work on the machine skews requests/s)"
echo "rss_idle_kb=$(ps -o rss= -p "$APP_PID" | tr -d ' ')"
echo "--- warm-up: wrk -t2 -c$CONNECTIONS -d5s (JIT), not reported"
wrk -t2 -c"$CONNECTIONS" -d5s "http://127.0.0.1:$APP_PORT/" >/dev/null

peak=0
( while kill -0 "$APP_PID" 2>/dev/null; do ps -o rss= -p "$APP_PID"; sleep 0.5; done ) >"$WORK/rss.txt" &
SAMPLER=$!
echo "--- wrk -t2 -c$CONNECTIONS -d$DURATION --latency http://127.0.0.1:$APP_PORT/"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$APP_PORT/"
kill "$SAMPLER" 2>/dev/null || true
wait "$SAMPLER" 2>/dev/null || true
peak="$(sort -n "$WORK/rss.txt" | tail -1 | tr -d ' ')"
echo "rss_after_load_kb=$(ps -o rss= -p "$APP_PID" | tr -d ' ') rss_peak_during_load_kb=$peak"
echo "counter_after=$(curl -fsS "http://127.0.0.1:$APP_PORT/api/counter")"
if grep -qE 'OutOfMemoryError|ERROR' "$WORK/app.log"; then
	echo "app log shows errors:" >&2
	grep -E 'OutOfMemoryError|ERROR' "$WORK/app.log" | head -5 >&2
	exit 1
fi
