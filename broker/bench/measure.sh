#!/usr/bin/env bash
# Measures the broker as the platform loads it: GET /v2/catalog and GET .../last_operation under wrk, with
# N instance records in Consul KV, and the broker's RSS. The local platform serves Marathon and Consul; one
# instance is provisioned for real (a redis-server), and its record is copied under N-1 further ids so that
# last_operation polls spread over N records, as a platform polling many instances does.
# Everything binds 127.0.0.1 on free ports and is stopped on exit.
#
# Needs: the built jars (./mvnw -B -ntp package -DskipTests), redis-server, wrk, curl, jq.
# Usage: broker/bench/measure.sh [records, default 1000] [duration, default 10s]
#   BROKER_JAR=/path/to/broker.jar   measure another build (e.g. an older one) with the same load
#   BROKER_JAVA_OPTS="-Xmx256m ..."   JVM options of the broker (default: JAVA_OPTS of manifests/broker/manifest.yml,
#                                     as the broker runs on Cloud Foundry; BROKER_JAVA_OPTS=" " for the JVM's defaults)
set -euo pipefail
cd "$(dirname "$0")/.."

RECORDS="${1:-1000}"
DURATION="${2:-10s}"
JAR="${BROKER_JAR:-target/broker.jar}"
PLATFORM_JAR=../local-platform/target/local-platform.jar
for jar in "$JAR" "$PLATFORM_JAR"; do
	[ -f "$jar" ] || { echo "measure.sh: $jar missing; run ./mvnw -B -ntp package -DskipTests first" >&2; exit 1; }
done
MANIFEST=../manifests/broker/manifest.yml
BROKER_JAVA_OPTS="${BROKER_JAVA_OPTS:-$(sed -n 's/^ *JAVA_OPTS: "\(.*\)"$/\1/p' "$MANIFEST")}"
for tool in wrk curl jq; do
	command -v "$tool" >/dev/null || { echo "measure.sh: $tool missing (apt-get install $tool)" >&2; exit 1; }
done

free_port() {
	local port=$1
	while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
	echo "$port"
}
MARATHON_PORT="$(free_port 38080)"; CONSUL_PORT="$(free_port 38500)"; BROKER_PORT="$(free_port 38090)"
WORK="$(mktemp -d)"
pids=()
cleanup() {
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
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

CONSUL="http://127.0.0.1:$CONSUL_PORT"
BROKER="http://127.0.0.1:$BROKER_PORT"
java ${PLATFORM_JAVA_OPTS:-} -jar "$PLATFORM_JAR" --local-platform.marathon-port="$MARATHON_PORT" --local-platform.consul-port="$CONSUL_PORT" \
	--local-platform.state-dir="$WORK/platform" >"$WORK/platform.log" 2>&1 &
PLATFORM_PID=$!
pids+=("$PLATFORM_PID")
wait_until 60 curl -fsS "http://127.0.0.1:$MARATHON_PORT/ping"

USER=bench
PASSWORD="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
BROKER_USERNAME=$USER BROKER_PASSWORD=$PASSWORD BROKER_SECRETS_KEY="$(head -c 32 /dev/urandom | base64)" \
	MARATHON_URL="http://127.0.0.1:$MARATHON_PORT" CONSUL_URL="$CONSUL" PORT="$BROKER_PORT" \
	java $BROKER_JAVA_OPTS -jar "$JAR" >"$WORK/broker.log" 2>&1 &
BROKER_PID=$!
pids+=("$BROKER_PID")
osb() { curl -fsS -u "$USER:$PASSWORD" -H 'X-Broker-API-Version: 2.16' -H 'Content-Type: application/json' "$@"; }
wait_until 90 osb "$BROKER/v2/catalog"

SERVICE_ID="$(osb "$BROKER/v2/catalog" | jq -r '.services[0].id')"
PLAN_ID="$(osb "$BROKER/v2/catalog" | jq -r '.services[0].plans[0].id')"
FIRST="$(cat /proc/sys/kernel/random/uuid)"
osb -X PUT "$BROKER/v2/service_instances/$FIRST?accepts_incomplete=true" -d "{\"service_id\":\"$SERVICE_ID\",
	\"plan_id\":\"$PLAN_ID\",\"organization_guid\":\"bench-org\",\"space_guid\":\"bench-space\"}" >/dev/null
succeeded() { osb "$BROKER/v2/service_instances/$FIRST/last_operation" | jq -e '.state == "succeeded"'; }
wait_until 120 succeeded

# copies of the real record under new ids: what last_operation reads for a finished operation
RECORD="$(curl -fsS "$CONSUL/v1/kv/osb-redis/instances/$FIRST?raw")"
echo "$FIRST" >"$WORK/ids"
for ((i = 1; i < RECORDS; i++)); do
	id="$(cat /proc/sys/kernel/random/uuid)"
	echo "$id" >>"$WORK/ids"
	jq -c --arg id "$id" '.instanceId = $id' <<<"$RECORD" |
		curl -fsS -X PUT --data-binary @- "$CONSUL/v1/kv/osb-redis/instances/$id" >/dev/null
done

TICKS=$(getconf CLK_TCK)
AUTH="$(printf '%s:%s' "$USER" "$PASSWORD" | base64 | tr -d '\n')"
cat >"$WORK/headers.lua" <<LUA
wrk.headers["Authorization"] = "Basic $AUTH"
wrk.headers["X-Broker-API-Version"] = "2.16"
LUA
cat "$WORK/headers.lua" >"$WORK/last_operation.lua"
cat >>"$WORK/last_operation.lua" <<LUA
local ids = {}
for line in io.lines("$WORK/ids") do ids[#ids + 1] = line end
local n = 0
request = function()
	n = n + 1
	return wrk.format("GET", "/v2/service_instances/" .. ids[(n % #ids) + 1] .. "/last_operation")
end
LUA

echo "broker java options: ${BROKER_JAVA_OPTS:-(JVM defaults)}; $RECORDS instance records in KV; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rss_idle_kb=$(ps -o rss= -p "$BROKER_PID" | tr -d ' ')"
# warm-up (JIT, connection pools), not reported
wrk -t2 -c16 -d5s -s "$WORK/headers.lua" "$BROKER/v2/catalog" >/dev/null
wrk -t2 -c16 -d5s -s "$WORK/last_operation.lua" "$BROKER/" >/dev/null

( while kill -0 "$BROKER_PID" 2>/dev/null; do ps -o rss= -p "$BROKER_PID"; sleep 0.5; done ) >"$WORK/rss.txt" &
SAMPLER=$!
cpu_ticks() {
	# user + system CPU of a process, in clock ticks
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}
run() {
	# run <label> <connections> <script> <url>; also prints the CPU each side spent per request (the local
	# platform answers the broker's Consul reads on the same cores)
	local out threads=2
	[ "$2" -ge 2 ] || threads=1
	local broker_before platform_before
	broker_before=$(cpu_ticks "$BROKER_PID")
	platform_before=$(cpu_ticks "$PLATFORM_PID")
	out="$(wrk -t"$threads" -c"$2" -d"$DURATION" --latency -s "$3" "$4")"
	local broker_cpu platform_cpu
	broker_cpu=$(($(cpu_ticks "$BROKER_PID") - broker_before))
	platform_cpu=$(($(cpu_ticks "$PLATFORM_PID") - platform_before))
	local rps p50 p99 errors requests
	rps="$(sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p' <<<"$out")"
	p50="$(awk '$1 == "50%" { print $2 }' <<<"$out")"
	p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
	errors="$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' <<<"$out")"
	requests="$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' <<<"$out")"
	printf '%-38s c=%-3s req/s=%-9s p50=%-9s p99=%-9s non2xx=%-3s cpu_us/req broker=%s platform=%s\n' "$1" "$2" \
		"$rps" "$p50" "$p99" "${errors:-0}" "$((broker_cpu * 1000000 / TICKS / requests))" \
		"$((platform_cpu * 1000000 / TICKS / requests))"
}
run "GET /v2/catalog" 1 "$WORK/headers.lua" "$BROKER/v2/catalog"
run "GET /v2/catalog" 50 "$WORK/headers.lua" "$BROKER/v2/catalog"
run "GET .../last_operation ($RECORDS ids)" 16 "$WORK/last_operation.lua" "$BROKER/"
run "GET .../last_operation ($RECORDS ids)" 50 "$WORK/last_operation.lua" "$BROKER/"
kill "$SAMPLER" 2>/dev/null || true
wait "$SAMPLER" 2>/dev/null || true
echo "rss_after_load_kb=$(ps -o rss= -p "$BROKER_PID" | tr -d ' ') rss_peak_during_load_kb=$(sort -n "$WORK/rss.txt" | tail -1 | tr -d ' ')"
