# What the counter app's benches add to scripts/lib.sh (sourced, not run; it sources scripts/lib.sh): the local
# platform with one Redis app on its Marathon API, the counter app with the manifest's JVM options, wrk's report.
# shellcheck shell=bash
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

BENCH_DIR="$ROOT_DIR/sample-counter-app/bench"
# APP_JAR may point at another build of the app, e.g. the one before a change, to compare the same way
APP_JAR="${APP_JAR:-$ROOT_DIR/sample-counter-app/target/sample-counter-app.jar}"
# MANIFEST may point at another manifest, e.g. the one an older build shipped with
MANIFEST="${MANIFEST:-$ROOT_DIR/manifests/sample-counter-app/manifest.yml}"
REDIS_APP_ID=/bench/redis

require wrk curl jq redis-cli java
require_jars "$APP_JAR" "$PLATFORM_JAR"
JAVA_OPTS="$(manifest_env "$MANIFEST" JAVA_OPTS)"
MALLOC_ARENA_MAX="$(manifest_env "$MANIFEST" MALLOC_ARENA_MAX)"
# the container limit as the JVM sees it in CF (initial heap, GC choice), then exactly the manifest's options
read -r -a JVM_OPTIONS <<<"-XX:MaxRAM=256m $JAVA_OPTS"
temp_dir WORK

# start_platform_with_redis [tls dir]: the local platform on free ports, and a redis-server app on its Marathon API
# (AOF on, as the broker runs it; no password: the app binds through the demo's CONSUL_* variables, which carry
# none). With a directory made by make_tls_files, Redis also serves TLS on a second port ($PORT1), beside the plain
# one Consul lists, as the broker's `tls: optional` runs it: one instance, both ports (redis_tls_port).
start_platform_with_redis() {
	local tls_dir=${1:-} tls_arguments=""
	start_platform "$WORK/platform" "$WORK/platform.log" 28080 28500
	if [ -n "$tls_dir" ]; then
		# shellcheck disable=SC2016 # $PORT1 is for the task's shell
		tls_arguments=' --tls-port "$PORT1" --tls-cert-file "'"$tls_dir"'/redis.crt" --tls-key-file "'"$tls_dir"'/redis.key" --tls-ca-cert-file "'"$tls_dir"'/ca.crt" --tls-auth-clients no'
	fi
	# shellcheck disable=SC2016 # $PORT0 and $MESOS_SANDBOX are for the task's shell
	jq -n --arg id "$REDIS_APP_ID" --arg tls "$tls_arguments" '{
		id: $id, instances: 1, cpus: 0.1, mem: 128,
		cmd: ("exec redis-server --bind 127.0.0.1 \"$HOST\" --port \"$PORT0\" --appendonly yes --save \"\" --dir \"$MESOS_SANDBOX/data\"" + $tls),
		container: {type: "MESOS", volumes: [{containerPath: "data", mode: "RW",
			external: {name: "bench-redis", provider: "dvdi", options: {"dvdi/driver": "rexray"}}}]},
		portDefinitions: ([{port: 0, protocol: "tcp", name: "redis"}]
			+ (if $tls == "" then [] else [{port: 0, protocol: "tcp", name: "redis-tls"}] end)),
		healthChecks: [{protocol: "MESOS_TCP", portIndex: 0, gracePeriodSeconds: 30, intervalSeconds: 1}],
		upgradeStrategy: {minimumHealthCapacity: 0, maximumOverCapacity: 0},
		labels: {consul: "redis"}}' |
		curl -fsS -X POST -H 'Content-Type: application/json' "$MARATHON/v2/apps" -d @- >/dev/null
	wait_until 60 "Consul to list the Redis app as passing" redis_port
}

# make_tls_files <dir>: an operator CA and a certificate it signed for Redis, as the broker makes them (P-256, the
# Consul DNS name redis.service.consul and 127.0.0.1), in <dir>: ca.crt, redis.crt, redis.key (0600). Keys go to
# files, never a command line.
make_tls_files() {
	local dir=$1
	mkdir -p "$dir"
	(
		umask 077
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/ca.key" 2>/dev/null
		openssl req -x509 -new -key "$dir/ca.key" -subj /CN=bench-operator-ca -days 2 -out "$dir/ca.crt" \
			-addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/redis.key" 2>/dev/null
		openssl req -new -key "$dir/redis.key" -subj /CN=redis.service.consul -out "$dir/redis.csr"
		printf 'subjectAltName=DNS:redis.service.consul,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' >"$dir/ext"
		openssl x509 -req -in "$dir/redis.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
			-extfile "$dir/ext" -out "$dir/redis.crt" 2>/dev/null
	)
	chmod 644 "$dir/ca.crt" "$dir/redis.crt"
}

# redis_tls_port: the Redis task's second port (TLS), from Marathon
redis_tls_port() {
	curl -fsS "$MARATHON/v2/apps$REDIS_APP_ID/tasks" | jq -er '.tasks[0].ports[1]'
}

# tls_binding <tls dir>: a VCAP_SERVICES document as the broker binds a `tls: optional` instance: the plain uri and
# port, tls_port and ca_certificate beside them, host the Consul DNS name the certificate names
tls_binding() {
	jq -n --arg consul "$CONSUL" --arg port "$(redis_port)" --arg tls_port "$(redis_tls_port)" \
		--rawfile ca "$1/ca.crt" '{redis: [{name: "bench-redis", label: "redis", tags: ["redis"], plan: "small",
			credentials: {host: "redis.service.consul", port: ($port | tonumber), tls_port: ($tls_port | tonumber),
				uri: "redis://redis.service.consul:\($port)", ca_certificate: $ca, consul_url: $consul,
				consul_datacenter: "dc1", consul_service: "redis"}}]}'
}

# redis_port: the port Consul lists as passing for the Redis service, nothing when none
redis_port() {
	local port
	port="$(curl -fsS "$CONSUL/v1/health/service/redis?passing" | jq -r '.[0].Service.Port // empty')"
	[ -n "$port" ] && echo "$port"
}

# redis_counter <key>: the value Redis holds, read directly, not through the app
redis_counter() {
	local value
	value="$(redis-cli -h 127.0.0.1 -p "$(redis_port)" GET "$1")"
	echo "${value:-0}"
}

# app_ok: the app's own count of 200 answers to GET /api/counter: its meter (counter_requests_total, outcome counted
# or waited_then_counted) or, for a build without that meter, the 200 lines of Tomcat's access log in APP_ACCESS_LOG
# (a directory; moves.sh turns the log on for such a build)
app_ok() {
	if [ -n "${APP_ACCESS_LOG:-}" ]; then
		cat "$APP_ACCESS_LOG"/*.log 2>/dev/null | grep -c '"GET /api/counter HTTP/1.1" 200 ' || true
	else
		curl -fsS "$APP/actuator/prometheus" |
			awk '/^counter_requests_total\{outcome="(counted|waited_then_counted)"/ { n += $2 } END { printf "%d", n }'
	fi
}

# start_app [java option...]: the counter app with the manifest's JVM options, bound through the demo's variables
# (or VCAP_SERVICES when the caller sets it), once it is live; sets APP, APP_PID, APP_LOG
start_app() {
	spawn_app "$@"
	await_app "$APP" "$APP_PID"
}

# spawn_app [java option...]: start_app without the wait, so that several apps start side by side (await_app each)
spawn_app() {
	local port
	port="$(free_port "${APP_PORT_FROM:-28100}")"
	APP="http://127.0.0.1:$port"
	APP_LOG="$WORK/app${APP_LOG_SUFFIX:-}.log"
	local run
	mapfile -t run < <(jar_args "$APP_JAR")
	MALLOC_ARENA_MAX="$MALLOC_ARENA_MAX" PORT="$port" SERVER_ADDRESS=127.0.0.1 CONSUL_HOST=127.0.0.1 CONSUL_PORT="$CONSUL_PORT" \
		CONSUL_DC=dc1 spawn "$APP_LOG" java "${JVM_OPTIONS[@]}" "$@" "${run[@]}"
	APP_PID=$SPAWNED_PID
}

# await_app <url> <pid>: waits until the app spawn_app started there, as that process, is live
await_app() {
	local app=$1 pid=$2
	wait_until --while-running "$pid" "$STARTUP_BOUND" "the counter app live on $app/actuator/health/liveness" \
		curl -fsS "$app/actuator/health/liveness"
}

# run_wrk <wrk options...> <url>: wrk with bench/report.lua, whose last line is machine-readable key=value
run_wrk() {
	wrk -s "$BENCH_DIR/report.lua" "$@"
}

# report_field <wrk output> <key>
report_field() {
	grep '^report ' <<<"$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

check_app_log() {
	if cat "$WORK"/app*.log | grep -qE 'OutOfMemoryError'; then
		cat "$WORK"/app*.log | grep -E 'OutOfMemoryError' | head -3 >&2
		die "the app ran out of memory"
	fi
}

print_setup() {
	echo "java options: ${JVM_OPTIONS[*]}; MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX ($MANIFEST)"
	echo "app jar: $APP_JAR"
	echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other work on the machine skews requests/s)"
}

# ms <microseconds>: milliseconds with two decimals
ms() {
	awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'
}

# ratio <a> <b>: a/b with two decimals
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}
