#!/usr/bin/env bash
# Measures the counter app's page throughput, latency and RSS under load, with the JVM options it ships
# for a 256 MB Cloud Foundry container (JAVA_OPTS in manifests/sample-counter-app/manifest.yml).
# Redis runs as a Marathon app on the local platform, which registers it in its Consul API, so the app
# resolves it exactly as in the demo. Everything binds 127.0.0.1 on free ports and is stopped on exit.
#
# Needs: the built jars (./mvnw -B -ntp package -DskipTests), redis-server, wrk, curl.
# Usage: sample-counter-app/bench/measure.sh [duration, default 10s] [connections, default 16]
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${1:-10s}"
CONNECTIONS="${2:-16}"
JAR=target/sample-counter-app.jar
PLATFORM_JAR=../local-platform/target/local-platform.jar
for jar in "$JAR" "$PLATFORM_JAR"; do
	[ -f "$jar" ] || { echo "measure.sh: $jar missing; run ./mvnw -B -ntp package -DskipTests first" >&2; exit 1; }
done
MANIFEST=../manifests/sample-counter-app/manifest.yml
JAVA_OPTS="$(sed -n 's/^ *JAVA_OPTS: "\(.*\)"$/\1/p' "$MANIFEST")"
[ -n "$JAVA_OPTS" ] || { echo "measure.sh: JAVA_OPTS not found in $MANIFEST" >&2; exit 1; }

free_port() {
	local port=$1
	while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
	echo "$port"
}
MARATHON_PORT="$(free_port 28080)"; CONSUL_PORT="$(free_port 28500)"; APP_PORT="$(free_port 28100)"
WORK="$(mktemp -d)"
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT

wait_until() {
	# wait_until <seconds> <command...>
	local deadline=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $deadline ] || { echo "measure.sh: timed out waiting for: $*" >&2; exit 1; }
		sleep 0.25
	done
}

java -jar "$PLATFORM_JAR" --local-platform.marathon-port="$MARATHON_PORT" --local-platform.consul-port="$CONSUL_PORT" \
	--local-platform.state-dir="$WORK/platform" >"$WORK/platform.log" 2>&1 &
pids+=($!)
wait_until 60 curl -fsS "http://127.0.0.1:$MARATHON_PORT/ping"
# the demo's Redis without a password (the app's fallback variables carry none), AOF on as the broker runs it
curl -fsS -X POST -H 'Content-Type: application/json' "http://127.0.0.1:$MARATHON_PORT/v2/apps" -d '{
	"id": "/bench/redis", "instances": 1, "cpus": 0.1, "mem": 128,
	"cmd": "exec redis-server --bind 127.0.0.1 --port \"$PORT0\" --appendonly yes --save \"\" --dir \"$MESOS_SANDBOX\"",
	"portDefinitions": [{"port": 0, "protocol": "tcp", "name": "redis"}],
	"healthChecks": [{"protocol": "MESOS_TCP", "portIndex": 0, "gracePeriodSeconds": 30, "intervalSeconds": 5}],
	"labels": {"consul": "redis"}}' >/dev/null
passing() { [ "$(curl -fsS "http://127.0.0.1:$CONSUL_PORT/v1/health/service/redis?passing")" != "[]" ]; }
wait_until 60 passing

MALLOC_ARENA_MAX=2 PORT="$APP_PORT" SERVER_ADDRESS=127.0.0.1 CONSUL_HOST=127.0.0.1 CONSUL_PORT="$CONSUL_PORT" CONSUL_DC=dc1 \
	java -XX:MaxRAM=256m $JAVA_OPTS -jar "$JAR" >"$WORK/app.log" 2>&1 &
APP_PID=$!
pids+=("$APP_PID")
wait_until 60 curl -fsS "http://127.0.0.1:$APP_PORT/api/counter"

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
