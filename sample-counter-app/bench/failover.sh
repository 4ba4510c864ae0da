#!/usr/bin/env bash
# The counter app bound to an `ha` instance, under load, while the instance's primary is killed N times: the local
# platform and the broker, one `ha` instance provisioned and bound as Cloud Foundry would, the app started with that
# binding in VCAP_SERVICES and the manifest's JAVA_OPTS, wrk on GET /api/counter for the whole run while this script
# kills the primary's redis-server with SIGKILL, waiting after each until the app counts on the promoted replica and
# the killed node is back as a replica. Prints, per failover, the time from the kill to the app's first count on the
# new primary; in total the non-2xx answers, the counter's delta (read from the last primary) against the app's count
# of answered increments (counter_requests_total{outcome=~"counted|waited_then_counted"}: wrk drops the answers in
# flight when it stops), and the longest request's latency.
#
# Needs: ./mvnw -B -ntp package -DskipTests (the platform, broker and app jars); wrk, curl, jq, redis-cli.
# Usage: sample-counter-app/bench/failover.sh [failovers, 3] [seconds of load before each kill, 3] [connections, 16]
#   (scripts/test runs it in a smoke size: WARMUP=1s sample-counter-app/bench/failover.sh 1 1 4)
#   WARMUP=2s ... the unreported warm-up (default 5s)
#   DOWN_AFTER=5s FAILOVER_TIMEOUT=10s ... the ha plan's Sentinel settings (default 1s and 3s, the local platform's;
#                     the plan's own defaults are 5s and 10s)
set -euo pipefail
# shellcheck source=sample-counter-app/bench/lib.sh
source "$(dirname "$0")/lib.sh"

FAILOVERS="${1:-3}"
LOAD="${2:-3}"
CONNECTIONS="${3:-16}"
WARMUP="${WARMUP:-5s}"
require_jars "$BROKER_JAR"

start_platform "$WORK/platform" "$WORK/platform.log" 27180 27600
ha_broker_options
start_broker "$WORK/broker.log" 27190 "${HA_BROKER_OPTIONS[@]}"
cf_provision counter-failover-bench ha
cf_bind
VCAP_SERVICES=$(vcap_services counter-failover-bench ha) start_app
print_setup
echo "ha instance $INSTANCE_ID, Sentinel down-after ${DOWN_AFTER:-1s}, failover-timeout ${FAILOVER_TIMEOUT:-3s}"
echo "--- warm-up: wrk -t2 -c$CONNECTIONS -d$WARMUP (JIT), not reported"
run_and_wait /dev/null wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$APP/api/counter"

# the counter on the primary, read as the binding's user, not through the app
primary_counter() {
	local host port value
	read -r host port <<<"$(ha_primary)"
	value=$(as_binding_user "$host" "$port" GET counter)
	echo "${value:-0}"
}
# app_follows <answered before>: the app counts on the primary the Sentinels name now (counter_redis_endpoint), not
# the killed one, and has answered increments since
app_follows() {
	local port
	port=$(ha_primary | cut -d' ' -f2) && [ "$port" != "$KILLED_PORT" ] &&
		curl -fsS "$APP/actuator/prometheus" | grep -qE "^counter_redis_endpoint\{.*port=\"$port\".*\} 1" &&
		[ "$(app_ok)" -gt "$1" ]
}

before=$(primary_counter)
app_ok_before=$(app_ok)
echo "--- wrk -t2 -c$CONNECTIONS --timeout 30s --latency $APP/api/counter, killing the primary $FAILOVERS times, ${LOAD}s of load before each"
# long enough for any run; stopped with SIGINT (wrk then prints its report) once the failovers are over
# (wrk itself, not run_wrk: the signal must reach wrk, not a shell around it)
spawn "$WORK/wrk.txt" wrk -s "$BENCH_DIR/report.lua" -t2 -c"$CONNECTIONS" -d3600s --timeout 30s --latency "$APP/api/counter"
WRK_PID=$SPAWNED_PID
times=()
for ((n = 1; n <= FAILOVERS; n++)); do
	sleep "$LOAD"
	ha_kill_primary
	answered=$(app_ok)
	wait_until 120 "the app counting on a new primary after the kill of $KILLED_HOST:$KILLED_PORT" app_follows "$answered"
	ms=$(awk -v k="$KILLED_AT" -v n="$(date +%s.%N)" 'BEGIN { printf "%d", (n - k) * 1000 }')
	times+=("$ms")
	echo "failover $n: primary $KILLED_HOST:$KILLED_PORT killed, the app counted on $(ha_primary | tr ' ' ':') within $ms ms"
	wait_until 180 "the killed node back as a replica" ha_back_as_replica "$KILLED_HOST" "$KILLED_PORT"
done
sleep "$LOAD"
kill -INT "$WRK_PID"
wait "$WRK_PID" || true
after=$(primary_counter)
app_ok_after=$(app_ok)
out="$(cat "$WORK/wrk.txt")"
grep -v '^report ' <<<"$out"

ok=$((app_ok_after - app_ok_before))
delta=$((after - before))
non2xx=$(report_field "$out" non2xx)
echo "--- $FAILOVERS failovers (kill -9 of the primary's redis-server) under wrk -c$CONNECTIONS"
echo "kill to the app's first count on the new primary: $(p50_max "${times[@]}")"
echo "requests answered: $(report_field "$out" requests), 2xx: $(report_field "$out" ok), non-2xx: $non2xx (target 0)"
echo "socket errors: connect $(report_field "$out" connect), read $(report_field "$out" read), write $(report_field "$out" write), timeout $(report_field "$out" timeout)"
echo "counter $before -> $after: delta $delta; increments answered by the app (counter_requests_total): $ok (target: equal)"
echo "increments lost (answered minus delta): $((ok > delta ? ok - delta : 0)) (target 0)"
echo "increments counted without a 200 (delta minus answered): $((delta > ok ? delta - ok : 0)) (target 0)"
echo "latency p50 $(ms "$(report_field "$out" p50_us)") ms, p99 $(ms "$(report_field "$out" p99_us)") ms, longest request $(ms "$(report_field "$out" max_us)") ms"
check_app_log
[ "$ok" -le "$delta" ] || die "$((ok - delta)) answered increments lost"
