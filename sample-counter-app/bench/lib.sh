# Shared by the bench scripts (sourced, not run): the local platform with one Redis app on its Marathon API,
# the counter app with the manifest's JVM options, free ports, cleanup on exit. Everything binds 127.0.0.1.
# shellcheck shell=bash

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULE_DIR="$(dirname "$BENCH_DIR")"
ROOT_DIR="$(dirname "$MODULE_DIR")"
# APP_JAR may point at another build of the app, e.g. the one before a change, to compare the same way
APP_JAR="${APP_JAR:-$MODULE_DIR/target/sample-counter-app.jar}"
PLATFORM_JAR="$ROOT_DIR/local-platform/target/local-platform.jar"
# MANIFEST may point at another manifest, e.g. the one an older build shipped with
MANIFEST="${MANIFEST:-$ROOT_DIR/manifests/sample-counter-app/manifest.yml}"
REDIS_APP_ID=/bench/redis

bench_name="$(basename "$0")"
die() {
	echo "$bench_name: $*" >&2
	exit 1
}

for tool in wrk curl jq redis-cli java; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool missing (apt-get install -y wrk curl jq redis-tools openjdk-17-jdk-headless)"
done
for jar in "$APP_JAR" "$PLATFORM_JAR"; do
	[ -f "$jar" ] || die "$jar missing; run ./mvnw -B -ntp -pl local-platform,sample-counter-app package -DskipTests first"
done
JAVA_OPTS="$(sed -n 's/^ *JAVA_OPTS: "\(.*\)"$/\1/p' "$MANIFEST")"
[ -n "$JAVA_OPTS" ] || die "JAVA_OPTS not found in $MANIFEST"
MALLOC_ARENA_MAX="$(sed -n 's/^ *MALLOC_ARENA_MAX: "\(.*\)"$/\1/p' "$MANIFEST")"
[ -n "$MALLOC_ARENA_MAX" ] || die "MALLOC_ARENA_MAX not found in $MANIFEST"
# the container limit as the JVM sees it in CF (initial heap, GC choice), then exactly the manifest's options
read -r -a JVM_OPTIONS <<<"-XX:MaxRAM=256m $JAVA_OPTS"

free_port() {
	local port=$1
	while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
	echo "$port"
}

WORK="$(mktemp -d)"
pids=()
cleanup() {
	local pid
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_until() {
	# wait_until <seconds> <command...>
	local deadline=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $deadline ] || die "timed out waiting for: $*"
		sleep 0.1
	done
}

# start_platform: the local platform on free ports, and a redis-server app on its Marathon API (AOF on, as the
# broker runs it; no password: the app binds through the demo's CONSUL_* variables, which carry none)
start_platform() {
	MARATHON_PORT="$(free_port 28080)"
	CONSUL_PORT="$(free_port 28500)"
	MARATHON="http://127.0.0.1:$MARATHON_PORT"
	CONSUL="http://127.0.0.1:$CONSUL_PORT"
	java -jar "$PLATFORM_JAR" --local-platform.marathon-port="$MARATHON_PORT" \
		--local-platform.consul-port="$CONSUL_PORT" --local-platform.state-dir="$WORK/platform" \
		>"$WORK/platform.log" 2>&1 &
	pids+=($!)
	wait_until 60 curl -fsS "$MARATHON/ping"
	# shellcheck disable=SC2016 # $PORT0 and $MESOS_SANDBOX are for the task's shell
	jq -n --arg id "$REDIS_APP_ID" '{
		id: $id, instances: 1, cpus: 0.1, mem: 128,
		cmd: "exec redis-server --bind 127.0.0.1 --port \"$PORT0\" --appendonly yes --save \"\" --dir \"$MESOS_SANDBOX/data\"",
		container: {type: "MESOS", volumes: [{containerPath: "data", mode: "RW",
			external: {name: "bench-redis", provider: "dvdi", options: {"dvdi/driver": "rexray"}}}]},
		portDefinitions: [{port: 0, protocol: "tcp", name: "redis"}],
		healthChecks: [{protocol: "MESOS_TCP", portIndex: 0, gracePeriodSeconds: 30, intervalSeconds: 1}],
		upgradeStrategy: {minimumHealthCapacity: 0, maximumOverCapacity: 0},
		labels: {consul: "redis"}}' |
		curl -fsS -X POST -H 'Content-Type: application/json' "$MARATHON/v2/apps" -d @- >/dev/null
	wait_until 60 redis_port
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

# start_app: the counter app with the manifest's JVM options, bound through the demo's variables; sets APP, APP_PID
start_app() {
	local port
	port="$(free_port 28100)"
	APP="http://127.0.0.1:$port"
	MALLOC_ARENA_MAX="$MALLOC_ARENA_MAX" PORT="$port" SERVER_ADDRESS=127.0.0.1 CONSUL_HOST=127.0.0.1 CONSUL_PORT="$CONSUL_PORT" \
		CONSUL_DC=dc1 java "${JVM_OPTIONS[@]}" "$@" -jar "$APP_JAR" >"$WORK/app.log" 2>&1 &
	APP_PID=$!
	pids+=("$APP_PID")
	wait_until 90 curl -fsS "$APP/actuator/health/liveness"
}

rss_kb() {
	ps -o rss= -p "$1" | tr -d ' '
}

# sample_rss <pid> <file>: RSS every 0.5 s into the file until killed; sets SAMPLER
sample_rss() {
	(while kill -0 "$1" 2>/dev/null; do rss_kb "$1"; sleep 0.5; done) >"$2" &
	SAMPLER=$!
	pids+=("$SAMPLER")
}

peak_kb() {
	sort -n "$1" | tail -1
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
	if grep -qE 'OutOfMemoryError' "$WORK/app.log"; then
		grep -E 'OutOfMemoryError' "$WORK/app.log" | head -3 >&2
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
