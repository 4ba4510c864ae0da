#!/usr/bin/env bash
# Measures the broker as the platform loads it: GET /v2/catalog and GET .../last_operation under wrk, with
# N instance records in Consul KV, and the broker's RSS. The local platform serves Marathon and Consul; one
# instance is provisioned for real (a redis-server), and its record is copied under N-1 further ids so that
# last_operation polls spread over N records, as a platform polling many instances does.
# Everything binds 127.0.0.1 on free ports and is stopped on exit, Ctrl-C or kill (scripts/lib.sh).
#
# Needs: the built jars (./mvnw -B -ntp package -DskipTests), redis-server, wrk, curl, jq.
# Usage: broker/bench/measure.sh [records, default 1000] [duration, default 10s]
#   (scripts/test runs it in a smoke size: WARMUP=1s broker/bench/measure.sh 10 1s)
#   WARMUP=2s                         the unreported warm-up of each endpoint (default 5s)
#   BROKER_JAR=/path/to/broker.jar   measure another build (e.g. an older one) with the same load
#   BROKER_JAVA_OPTS="-Xmx256m ..."   JVM options of the broker (default: JAVA_OPTS of manifests/broker/manifest.yml,
#                                     as the broker runs on Cloud Foundry; BROKER_JAVA_OPTS=" " for the JVM's defaults)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/../../scripts/lib.sh"

RECORDS="${1:-1000}"
DURATION="${2:-10s}"
WARMUP="${WARMUP:-5s}"
require wrk curl jq java
require_jars "$BROKER_JAR" "$PLATFORM_JAR"
BROKER_JAVA_OPTS="${BROKER_JAVA_OPTS:-$(manifest_env "$ROOT_DIR/manifests/broker/manifest.yml" JAVA_OPTS)}"
read -r -a broker_java_options <<<"$BROKER_JAVA_OPTS"

temp_dir WORK
start_platform "$WORK/platform" "$WORK/platform.log" 26080 26500
start_broker "$WORK/broker.log" 26090 "${broker_java_options[@]}"

cf_provision bench-redis
FIRST=$INSTANCE_ID

# copies of the real record under new ids: what last_operation reads for a finished operation. Where the broker
# keeps records (broker.consul.kv-prefix, its layout) is read from Consul: the one key that ends in the id.
RECORD_KEY="$(curl -fsS "$CONSUL/v1/kv/?keys" | jq -r --arg id "$FIRST" '.[] | select(endswith("/" + $id))')"
if [ -z "$RECORD_KEY" ] || [[ $RECORD_KEY == *$'\n'* ]]; then
	die "expected one key ending in /$FIRST in Consul KV, found: '$RECORD_KEY'"
fi
RECORD="$(curl -fsS "$CONSUL/v1/kv/$RECORD_KEY?raw")"
echo "$FIRST" >"$WORK/ids"
for ((i = 1; i < RECORDS; i++)); do
	id="$(new_guid)"
	echo "$id" >>"$WORK/ids"
	jq -c --arg id "$id" '.instanceId = $id' <<<"$RECORD" |
		curl -fsS -X PUT --data-binary @- "$CONSUL/v1/kv/${RECORD_KEY%"$FIRST"}$id" >/dev/null
done

TICKS=$(getconf CLK_TCK)
AUTH="$(printf '%s:%s' "$BROKER_USER" "$BROKER_PASSWORD" | base64 | tr -d '\n')"
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
echo "rss_idle_kb=$(rss_kb "$BROKER_PID")"
# warm-up (JIT, connection pools), not reported
run_and_wait /dev/null wrk -t2 -c16 -d"$WARMUP" -s "$WORK/headers.lua" "$BROKER/v2/catalog"
run_and_wait /dev/null wrk -t2 -c16 -d"$WARMUP" -s "$WORK/last_operation.lua" "$BROKER/"

sample_rss "$BROKER_PID" "$WORK/rss.txt"
run() {
	# run <label> <connections> <script> <url>; also prints the CPU each side spent per request (the local
	# platform answers the broker's Consul reads on the same cores)
	local out threads=2
	[ "$2" -ge 2 ] || threads=1
	local broker_before platform_before
	broker_before=$(cpu_ticks "$BROKER_PID")
	platform_before=$(cpu_ticks "$PLATFORM_PID")
	run_and_wait "$WORK/wrk.txt" wrk -t"$threads" -c"$2" -d"$DURATION" --latency -s "$3" "$4"
	out="$(cat "$WORK/wrk.txt")"
	local broker_cpu platform_cpu
	broker_cpu=$(($(cpu_ticks "$BROKER_PID") - broker_before))
	platform_cpu=$(($(cpu_ticks "$PLATFORM_PID") - platform_before))
	local rps p50 p99 errors requests
	rps="$(sed -n 's/^Requests\/sec: *\([0-9.]*\)/\1/p' <<<"$out")"
	p50="$(awk '$1 == "50%" { print $2 }' <<<"$out")"
	p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
	errors="$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' <<<"$out")"
	requests="$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' <<<"$out")"
	# no request answered within the duration (a machine under a load of 50) has no CPU per request
	local broker_per="n/a" platform_per="n/a"
	if [ "${requests:-0}" -gt 0 ]; then
		broker_per=$((broker_cpu * 1000000 / TICKS / requests))
		platform_per=$((platform_cpu * 1000000 / TICKS / requests))
	fi
	printf '%-38s c=%-3s req/s=%-9s p50=%-9s p99=%-9s non2xx=%-3s cpu_us/req broker=%s platform=%s\n' "$1" "$2" \
		"${rps:-0}" "$p50" "$p99" "${errors:-0}" "$broker_per" "$platform_per"
}
run "GET /v2/catalog" 1 "$WORK/headers.lua" "$BROKER/v2/catalog"
run "GET /v2/catalog" 50 "$WORK/headers.lua" "$BROKER/v2/catalog"
run "GET .../last_operation ($RECORDS ids)" 16 "$WORK/last_operation.lua" "$BROKER/"
run "GET .../last_operation ($RECORDS ids)" 50 "$WORK/last_operation.lua" "$BROKER/"
stop_process "$SAMPLER_PID"
echo "rss_after_load_kb=$(rss_kb "$BROKER_PID") rss_peak_during_load_kb=$(peak_kb "$WORK/rss.txt")"
