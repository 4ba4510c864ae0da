#!/usr/bin/env bash
# Side by side, in one run: the counter app's page (GET /), its JSON (GET /api/counter) and a bare Spring Boot
# endpoint doing one pooled JedisPooled.incr (bench/bare-endpoint, built here), all on the same Redis (a
# Marathon app on the local platform, found through its Consul API), both JVMs with the manifest's JAVA_OPTS.
# The three are loaded in turn, round after round, so a slower machine slows all three alike; the script
# prints each run, the ratios app/bare and the app's RSS (idle, peak under load, after).
#
# Needs: ./mvnw -B -ntp -pl local-platform,sample-counter-app package -DskipTests; wrk, curl, jq, redis-cli.
# Usage: sample-counter-app/bench/throughput.sh [duration per run, 10s] [connections, 16] [rounds, 2]
#   APP_JAR=/path/to/other/sample-counter-app.jar ... compares another build the same way
#   JFR=/path/to/file.jfr ... records the app with Java Flight Recorder (profile=profile) during the runs
set -euo pipefail
# shellcheck source=sample-counter-app/bench/lib.sh
source "$(dirname "$0")/lib.sh"

DURATION="${1:-10s}"
CONNECTIONS="${2:-16}"
ROUNDS="${3:-2}"

echo "--- building the bare endpoint (bench/bare-endpoint)"
"$ROOT_DIR/mvnw" -B -ntp -q -f "$BENCH_DIR/bare-endpoint/pom.xml" package -DskipTests
BARE_JAR="$BENCH_DIR/bare-endpoint/target/bare-endpoint.jar"

start_platform
app_options=()
if [ -n "${JFR:-}" ]; then
	app_options+=("-XX:StartFlightRecording=filename=$JFR,settings=profile,dump-on-exit=true")
fi
start_app "${app_options[@]}"
bare_port="$(free_port 28200)"
BARE="http://127.0.0.1:$bare_port"
MALLOC_ARENA_MAX=2 java "${JVM_OPTIONS[@]}" -jar "$BARE_JAR" --server.address=127.0.0.1 --server.port="$bare_port" \
	--server.tomcat.threads.max=32 --redis.port="$(redis_port)" >"$WORK/bare.log" 2>&1 &
BARE_PID=$!
pids+=("$BARE_PID")
wait_until 90 curl -fsS "$BARE/bare"

print_setup
echo "rss_idle_kb app=$(rss_kb "$APP_PID") bare=$(rss_kb "$BARE_PID")"
names=(page api bare)
urls=("$APP/" "$APP/api/counter" "$BARE/bare")
echo "--- warm-up: wrk -t2 -c$CONNECTIONS -d5s on each (JIT), not reported"
for url in "${urls[@]}"; do wrk -t2 -c"$CONNECTIONS" -d5s "$url" >/dev/null; done

sample_rss "$APP_PID" "$WORK/rss-app.txt"
sample_rss "$BARE_PID" "$WORK/rss-bare.txt"
declare -A rps_sum=() p99_max=()
for round in $(seq 1 "$ROUNDS"); do
	for i in "${!names[@]}"; do
		name=${names[i]}
		out="$(run_wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "${urls[i]}")"
		rps="$(report_field "$out" rps)"
		p50="$(report_field "$out" p50_us)"
		p99="$(report_field "$out" p99_us)"
		non2xx="$(report_field "$out" non2xx)"
		printf 'round %d %-5s wrk -t2 -c%s -d%s %-40s %7s req/s  p50 %6s ms  p99 %6s ms  non-2xx %s\n' \
			"$round" "$name" "$CONNECTIONS" "$DURATION" "${urls[i]}" "$rps" "$(ms "$p50")" \
			"$(ms "$p99")" "$non2xx"
		rps_sum[$name]=$((${rps_sum[$name]:-0} + rps))
		if [ "$p99" -gt "${p99_max[$name]:-0}" ]; then p99_max[$name]=$p99; fi
	done
done
kill "$SAMPLER" 2>/dev/null || true

echo "--- summary over $ROUNDS rounds (requests/s averaged, p99 the worst round)"
for name in "${names[@]}"; do
	printf '%-5s %7d req/s  p99 %6s ms\n' "$name" $((rps_sum[$name] / ROUNDS)) "$(ms "${p99_max[$name]}")"
done
echo "ratio page/bare $(ratio "${rps_sum[page]}" "${rps_sum[bare]}")   (issue 10 target >= 0.6)"
echo "ratio api/bare  $(ratio "${rps_sum[api]}" "${rps_sum[bare]}")   (issue 10 target >= 0.8)"
echo "rss_kb app: idle see above, peak_under_load=$(peak_kb "$WORK/rss-app.txt"), after=$(rss_kb "$APP_PID")   (target <= 200 MB = 204800 kB)"
echo "rss_kb bare: peak_under_load=$(peak_kb "$WORK/rss-bare.txt")"
echo "page p99 at $CONNECTIONS connections: $(ms "${p99_max[page]}") ms   (target <= 10 ms)"
check_app_log
