#!/usr/bin/env bash
# Side by side, in one run: the counter app's page (GET /), its JSON (GET /api/counter) and a bare Spring Boot
# endpoint doing one pooled JedisPooled.incr (bench/bare-endpoint, built here), all on the same Redis (a
# Marathon app on the local platform, found through its Consul API), both JVMs with the manifest's JAVA_OPTS.
# The three are loaded in turn, in short runs, round after round: a ratio is taken within each round, where
# the three met the same load from the rest of the machine, and the median over the rounds is the figure. It
# prints each run, the median ratios app/bare, the page's median and worst p99, and the app's RSS (idle,
# peak under load, after). Requests/s depend on what else the machine runs; the CPU time a request costs (the
# serving JVM's plus Redis's, from /proc, per request) much less so: the script prints that too, and the
# ratio bare/app of it, which is what the throughput ratio tends to on an otherwise idle machine.
# TLS beside plain on the same instance (issue 28): Redis serves a TLS port beside the plain one (as `tls: optional`
# does), a second counter app is bound to it as the broker binds (tls_port, ca_certificate, host the Consul DNS name
# the certificate names) and a third with the same binding but for those keys (plain); their pages and JSON
# (page_tls, api_tls, page_vcap, api_vcap) run in the same rounds; it prints the ratios TLS/plain (pooled
# connections) and, with redis-benchmark on both ports, the cost of a new connection per request.
#
# Needs: ./mvnw -B -ntp -pl local-platform,sample-counter-app package -DskipTests; wrk, curl, jq, redis-cli.
# Usage: sample-counter-app/bench/throughput.sh [duration per run, 5s] [connections, 16] [rounds, 7]
#   APP_JAR=/path/to/other/sample-counter-app.jar ... compares another build the same way
#   MANIFEST=/path/to/manifest.yml ... takes JAVA_OPTS from another manifest (the one that build shipped with)
#   JFR=/path/to/file.jfr ... records the app with Java Flight Recorder (profile=profile) during the runs
#   WARMUP=2s ... the unreported warm-up of each endpoint (default 15s: the JIT needs about 30 s of load per app,
#   page and JSON, before its CPU per request settles, more for the TLS app, README.md)
#   NEW_CONNECTIONS=2000 ... requests of the new-connection comparison (redis-benchmark -k 0, default 2000)
# (scripts/test runs it in a smoke size: WARMUP=1s sample-counter-app/bench/throughput.sh 1s 4 1)
set -euo pipefail
# shellcheck source=sample-counter-app/bench/lib.sh
source "$(dirname "$0")/lib.sh"

DURATION="${1:-5s}"
CONNECTIONS="${2:-16}"
ROUNDS="${3:-7}"
WARMUP="${WARMUP:-15s}"

BARE_JAR="$BENCH_DIR/bare-endpoint/target/bare-endpoint.jar"
# built when missing or older than its sources or the parent pom (the Boot and Jedis versions)
if [ ! -f "$BARE_JAR" ] || [ -n "$(find "$BENCH_DIR/bare-endpoint/pom.xml" "$BENCH_DIR/bare-endpoint/src" \
	"$ROOT_DIR/pom.xml" -newer "$BARE_JAR" -print -quit)" ]; then
	echo "--- building the bare endpoint (bench/bare-endpoint)"
	"$ROOT_DIR/mvnw" -B -ntp -q -f "$BENCH_DIR/bare-endpoint/pom.xml" package -DskipTests
fi

require openssl redis-benchmark
make_tls_files "$WORK/tls"
start_platform_with_redis "$WORK/tls"
app_options=()
if [ -n "${JFR:-}" ]; then
	app_options+=("-XX:StartFlightRecording=filename=$JFR,settings=profile,dump-on-exit=true")
fi
# the four JVMs start side by side (one after another, their starts took most of this bench's time on a busy machine)
spawn_app "${app_options[@]}"
# the same app bound over TLS to the same Redis, and its twin bound the same way (VCAP_SERVICES: Spring Boot then
# runs as on Cloud Foundry, which costs the page something of its own) without the TLS keys: the pair whose
# only difference is TLS
PLAIN_APP=$APP PLAIN_APP_PID=$APP_PID
VCAP_SERVICES="$(tls_binding "$WORK/tls")" APP_PORT_FROM=28150 APP_LOG_SUFFIX=-tls spawn_app
TLS_APP=$APP TLS_APP_PID=$APP_PID
VCAP_SERVICES="$(tls_binding "$WORK/tls" | jq -c '.redis[0].credentials |= (del(.tls_port, .ca_certificate) | .host = "127.0.0.1")')" \
	APP_PORT_FROM=28160 APP_LOG_SUFFIX=-vcap spawn_app
VCAP_APP=$APP VCAP_APP_PID=$APP_PID
bare_port="$(free_port 28200)"
BARE="http://127.0.0.1:$bare_port"
mapfile -t bare_run < <(jar_args "$BARE_JAR")
MALLOC_ARENA_MAX="$MALLOC_ARENA_MAX" spawn "$WORK/bare.log" java "${JVM_OPTIONS[@]}" "${bare_run[@]}" \
	--server.address=127.0.0.1 --server.port="$bare_port" --server.tomcat.threads.max=32 --redis.port="$(redis_port)"
BARE_PID=$SPAWNED_PID
await_app "$PLAIN_APP" "$PLAIN_APP_PID"
await_app "$TLS_APP" "$TLS_APP_PID"
await_app "$VCAP_APP" "$VCAP_APP_PID"
wait_until --while-running "$BARE_PID" "$STARTUP_BOUND" "the bare endpoint on $BARE/bare" curl -fsS "$BARE/bare"
APP=$PLAIN_APP APP_PID=$PLAIN_APP_PID
grep -q 'tls=tls_port:[0-9]*,server_name:redis.service.consul' "$WORK/app-tls.log" ||
	die "the TLS app did not read TLS from its binding (no tls= in its binding line)"

print_setup
echo "rss_idle_kb app=$(rss_kb "$APP_PID") bare=$(rss_kb "$BARE_PID") app_tls=$(rss_kb "$TLS_APP_PID") app_vcap=$(rss_kb "$VCAP_APP_PID")"
echo "redis plain port $(redis_port), TLS port $(redis_tls_port) (one redis-server, as tls: optional runs it)"
names=(page api bare page_tls api_tls page_vcap api_vcap)
urls=("$APP/" "$APP/api/counter" "$BARE/bare" "$TLS_APP/" "$TLS_APP/api/counter" "$VCAP_APP/" "$VCAP_APP/api/counter")
pids=("$APP_PID" "$APP_PID" "$BARE_PID" "$TLS_APP_PID" "$TLS_APP_PID" "$VCAP_APP_PID" "$VCAP_APP_PID")
echo "--- warm-up: wrk -t2 -c$CONNECTIONS -d$WARMUP on each (JIT), not reported"
for url in "${urls[@]}"; do run_and_wait /dev/null wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$url"; done

sample_rss "$APP_PID" "$WORK/rss-app.txt"
APP_SAMPLER_PID=$SAMPLER_PID
sample_rss "$BARE_PID" "$WORK/rss-bare.txt"
BARE_SAMPLER_PID=$SAMPLER_PID
REDIS_PID="$(pgrep -f "redis-server.*:$(redis_port)" | head -1)"
[ -n "$REDIS_PID" ] || die "redis-server's process not found"
TICKS="$(getconf CLK_TCK)"
page_ratios=() api_ratios=() page_p99s=() page_cpu_ratios=() api_cpu_ratios=()
page_tls_ratios=() api_tls_ratios=() page_tls_cpu=() api_tls_cpu=() page_tls_p99s=()
for round in $(seq 1 "$ROUNDS"); do
	declare -A rps=() cpu_us=()
	for k in "${!names[@]}"; do
		# a different order each round: none always runs first, right after the others' load
		i=$(((round + k) % ${#names[@]}))
		name=${names[i]}
		server_pid=${pids[i]}
		ticks_before=$(($(cpu_ticks "$server_pid") + $(cpu_ticks "$REDIS_PID")))
		run_and_wait "$WORK/wrk.txt" run_wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "${urls[i]}"
		out="$(cat "$WORK/wrk.txt")"
		ticks=$(($(cpu_ticks "$server_pid") + $(cpu_ticks "$REDIS_PID") - ticks_before))
		rps[$name]="$(report_field "$out" rps)"
		cpu_us[$name]="$(awk -v t="$ticks" -v hz="$TICKS" -v n="$(report_field "$out" requests)" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')"
		p50="$(report_field "$out" p50_us)"
		p99="$(report_field "$out" p99_us)"
		printf 'round %d %-8s wrk -t2 -c%s -d%s --latency %-36s %7s req/s  p50 %6s ms  p99 %6s ms  cpu %6s us/req  non-2xx %s\n' \
			"$round" "$name" "$CONNECTIONS" "$DURATION" "${urls[i]}" "${rps[$name]}" "$(ms "$p50")" "$(ms "$p99")" \
			"${cpu_us[$name]}" "$(report_field "$out" non2xx)"
		[ "$name" != page ] || page_p99s+=("$p99")
		[ "$name" != page_tls ] || page_tls_p99s+=("$p99")
	done
	page_ratios+=("$(ratio "${rps[page]}" "${rps[bare]}")")
	api_ratios+=("$(ratio "${rps[api]}" "${rps[bare]}")")
	page_cpu_ratios+=("$(ratio "${cpu_us[bare]}" "${cpu_us[page]}")")
	api_cpu_ratios+=("$(ratio "${cpu_us[bare]}" "${cpu_us[api]}")")
	echo "round $round ratios: page/bare ${page_ratios[-1]}, api/bare ${api_ratios[-1]} (requests/s); page ${page_cpu_ratios[-1]}, api ${api_cpu_ratios[-1]} (bare's CPU per request / theirs)"
	page_tls_ratios+=("$(ratio "${rps[page_tls]}" "${rps[page_vcap]}")")
	api_tls_ratios+=("$(ratio "${rps[api_tls]}" "${rps[api_vcap]}")")
	page_tls_cpu+=("$(ratio "${cpu_us[page_vcap]}" "${cpu_us[page_tls]}")")
	api_tls_cpu+=("$(ratio "${cpu_us[api_vcap]}" "${cpu_us[api_tls]}")")
	echo "round $round TLS/plain (both bound through VCAP_SERVICES): page ${page_tls_ratios[-1]}, api ${api_tls_ratios[-1]} (requests/s); page ${page_tls_cpu[-1]}, api ${api_tls_cpu[-1]} (plain's CPU per request / TLS's)"
done
stop_process "$APP_SAMPLER_PID"
stop_process "$BARE_SAMPLER_PID"

median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo "--- over $ROUNDS rounds of wrk -t2 -c$CONNECTIONS -d$DURATION (median of the per-round ratios)"
echo "ratio page/bare $(median "${page_ratios[@]}")   (issue 10 target >= 0.6; rounds: ${page_ratios[*]})"
echo "ratio api/bare  $(median "${api_ratios[@]}")   (issue 10 target >= 0.8; rounds: ${api_ratios[*]})"
echo "cpu ratio page $(median "${page_cpu_ratios[@]}"), api $(median "${api_cpu_ratios[@]}")   (bare's CPU time per request, JVM + Redis, over the app's)"
echo "page p99 at $CONNECTIONS connections: median $(ms "$(median "${page_p99s[@]}")") ms, worst $(ms "$(printf '%s\n' "${page_p99s[@]}" | sort -n | tail -1)") ms   (target <= 10 ms)"
mapfile -t rss_samples <"$WORK/rss-app.txt"
echo "rss_kb app under load (every 0.5 s): median $(median "${rss_samples[@]}"), peak $(peak_kb "$WORK/rss-app.txt"); after the load $(rss_kb "$APP_PID")   (target <= 200 MB)"
echo "rss_kb bare: peak_under_load=$(peak_kb "$WORK/rss-bare.txt")"
echo "--- TLS beside plain, same Redis, same rounds: the counter app bound through VCAP_SERVICES with tls_port + ca_certificate (page_tls, api_tls) against the same binding without them (page_vcap, api_vcap), pooled connections"
echo "ratio page tls/plain $(median "${page_tls_ratios[@]}")   (issue 28 target >= 0.9; rounds: ${page_tls_ratios[*]})"
echo "ratio api tls/plain  $(median "${api_tls_ratios[@]}")   (issue 28 target >= 0.9; rounds: ${api_tls_ratios[*]})"
echo "cpu ratio tls page $(median "${page_tls_cpu[@]}"), api $(median "${api_tls_cpu[@]}")   (plain's CPU time per request, JVM + Redis, over TLS's)"
echo "page_tls p99 at $CONNECTIONS connections: median $(ms "$(median "${page_tls_p99s[@]}")") ms"
tls_connections="$(awk '/name=sample-counter-app/ && / laddr=[^ ]*:'"$(redis_tls_port)"' / { n++ } END { print n + 0 }' \
	<<<"$(redis-cli -h 127.0.0.1 -p "$(redis_port)" CLIENT LIST)")"
accepted="$(redis-cli -h 127.0.0.1 -p "$(redis_port)" INFO stats | tr -d '\r' | sed -n 's/^total_connections_received://p')"
echo "connections of the TLS app open on the TLS port: $tls_connections; connections Redis accepted in the whole run: $accepted   (pooled: no handshake per request)"
# a new connection per request: what a client without a pool pays, plain against TLS on the same Redis
NEW_CONNECTIONS="${NEW_CONNECTIONS:-2000}"
new_plain="$(redis-benchmark -h 127.0.0.1 -p "$(redis_port)" -t get -n "$NEW_CONNECTIONS" -c 4 -k 0 -q 2>/dev/null | tr '\r' '\n' | sed -n 's/^GET: \([0-9.]*\) requests per second.*/\1/p' | tail -1)"
new_tls="$(redis-benchmark -h 127.0.0.1 -p "$(redis_tls_port)" --tls --cacert "$WORK/tls/ca.crt" --sni redis.service.consul -t get -n "$NEW_CONNECTIONS" -c 4 -k 0 -q 2>/dev/null | tr '\r' '\n' | sed -n 's/^GET: \([0-9.]*\) requests per second.*/\1/p' | tail -1)"
echo "new connection per request (redis-benchmark -t get -n $NEW_CONNECTIONS -c 4 -k 0): plain $new_plain req/s, TLS $new_tls req/s, ratio tls/plain $(ratio "$new_tls" "$new_plain")"
check_app_log
