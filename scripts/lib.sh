# shellcheck shell=bash
# What the demo, its SIGTERM test, the client proofs and the benches share; sourced, not run:
#   source "$(dirname "$0")/lib.sh"                 (from scripts/)
#   source "$(dirname "$0")/../../scripts/lib.sh"   (from <module>/bench/)
# Messages, tools and jars a script needs, free ports (claimed, so that scripts run side by side do not meet),
# bounded waits, processes started in the background, the local platform and the broker on free ports, a CF
# manifest's env values, what CF does to provision and bind (and a restart of the instance's Redis through
# Marathon, or the kill -9 of an ha instance's primary), RSS and CPU of a process. Sourcing it sets the cleanup on EXIT, INT and TERM: every
# process started through it is stopped (newest first) and waited for, its port claims released and its
# temporary directories removed; when the script fails, the end of each process's log is shown first.
# Everything binds 127.0.0.1.

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRIPT_NAME="$(basename "$0")"
PLATFORM_JAR="$ROOT_DIR/local-platform/target/local-platform.jar"
# BROKER_JAR may point at another build of the broker, e.g. the one before a change, to compare the same way
BROKER_JAR="${BROKER_JAR:-$ROOT_DIR/broker/target/broker.jar}"

STARTED_PIDS=()
# each tracked process's start time: a pid is reused once its process has ended (2 cores, a few minutes of a busy run),
# and a stop must not hit whichever process has it then (a broker of another script was stopped that way)
declare -A STARTED_AT=()
STARTED_LOGS=()
TEMP_DIRS=()
# functions the cleanup calls last, once what the script started has stopped
CLEANUP_HOOKS=()
PORT_CLAIMS="${TMPDIR:-/tmp}/redis-on-mesos-ports"

# --- messages, prerequisites ---------------------------------------------------------------------------------

# say <message>: the message on stdout, after the script's name
say() {
	printf '%s: %s\n' "$SCRIPT_NAME" "$*"
}

# die <message>: the message on stderr, after the script's name, then exit 1 (the cleanup runs)
die() {
	printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2
	exit 1
}

# require <command...>: dies naming the first command missing and the Debian package that has it
require() {
	local tool package
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 && continue
		case "$tool" in
			redis-cli) package=redis-tools ;;
			java | jcmd | jfr) package=openjdk-17-jdk-headless ;;
			*) package=$tool ;;
		esac
		die "$tool missing (apt-get install -y $package)"
	done
}

# require_jars <jar...>: dies naming the first jar missing and how to build it
require_jars() {
	local jar
	for jar in "$@"; do
		[ -f "$jar" ] || die "$jar missing; build the jars first: ./mvnw -B -ntp package -DskipTests"
	done
}

# manifest_env <manifest.yml> <NAME>: the value of the env entry NAME: "value" of a CF manifest; dies when absent
manifest_env() {
	local value
	value="$(sed -n "s/^ *$2: \"\(.*\)\"\$/\1/p" "$1")"
	[ -n "$value" ] || die "$2 not found in $1"
	printf '%s\n' "$value"
}

# --- waiting, ports ------------------------------------------------------------------------------------------

# random_hex <bytes>: that many random bytes, as hex (a password, a probe's name)
random_hex() {
	head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'
}

# secrets_key: a new key for BROKER_SECRETS_KEY (32 random bytes, base64, as the broker requires)
secrets_key() {
	head -c 32 /dev/urandom | base64
}

# wait_until [--while-running <pid>] <seconds> <what> <command...>: runs the command, quietly, until it succeeds;
# after that many seconds dies with "timed out after <seconds>s waiting for <what>". With --while-running, dies at
# once when that process has exited (a JVM that cannot start fails fast; the bound only catches one that hangs).
wait_until() {
	local pid=""
	if [ "$1" = --while-running ]; then
		pid=$2
		shift 2
	fi
	local seconds=$1 what=$2
	shift 2
	local deadline=$((SECONDS + seconds))
	until "$@" >/dev/null 2>&1; do
		[ -z "$pid" ] || kill -0 "$pid" 2>/dev/null || die "gave up waiting for $what: its process exited"
		[ "$SECONDS" -lt "$deadline" ] || die "timed out after ${seconds}s waiting for $what"
		sleep 0.2
	done
}

# STARTUP_BOUND: how long a JVM this file starts may take to answer (seconds; a busy 2-core machine starting
# several at once needs minutes)
STARTUP_BOUND="${STARTUP_BOUND:-180}"

# free_port <port>: the first port from there that nothing listens on and that no other script sourcing this file
# has claimed (scripts run side by side: the benches in scripts/test, someone else's demo); claimed for this script
# until it exits. Never one of the kernel's ephemeral ports (ip_local_port_range): an outgoing connection of any
# process may hold one by the time the caller binds it (a bench's broker failed to start so). A process outside
# these scripts may still take a port before the caller binds it: the caller's wait_until then times out naming
# what did not answer.
free_port() {
	local port=$1 owner ephemeral_low ephemeral_high
	read -r ephemeral_low ephemeral_high </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null ||
		{ ephemeral_low=32768 ephemeral_high=60999; }
	mkdir -p "$PORT_CLAIMS"
	while :; do
		if [ "$port" -ge "$ephemeral_low" ] && [ "$port" -le "$ephemeral_high" ]; then
			port=$((ephemeral_high + 1))
			continue
		fi
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			if mkdir "$PORT_CLAIMS/$port" 2>/dev/null; then
				echo "$$" >"$PORT_CLAIMS/$port/pid"
				break
			fi
			# the claim of a script that is gone (killed before its cleanup) is stale
			owner="$(cat "$PORT_CLAIMS/$port/pid" 2>/dev/null || true)"
			if [ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null; then
				rm -rf "${PORT_CLAIMS:?}/$port"
				continue
			fi
		fi
		port=$((port + 1))
	done
	echo "$port"
}

# free_ports <count> <from>: "<first>-<last>", that many consecutive free ports from there, each claimed (free_port)
free_ports() {
	local count=$1 first last port
	first=$(free_port "$2")
	last=$first
	while [ $((last - first + 1)) -lt "$count" ]; do
		port=$(free_port $((last + 1)))
		if [ "$port" -ne $((last + 1)) ]; then
			first=$port
		fi
		last=$port
	done
	echo "$first-$last"
}

# platform_ports <count>: sets TAKEN_PORTS to "<first>-<last>", that many consecutive ports of the fixed part of the
# block the last start_platform claimed (each handed out once): ports for BROKER_MARATHON_REDIS_PORTS that the
# platform's agents offer and no other script's platform hands out
platform_ports() {
	local first=$PLATFORM_FIXED_NEXT
	[ $((first + $1 - 1)) -le "$PLATFORM_PORTS_LAST" ] ||
		die "the local platform's block of ports ($PLATFORM_TASK_PORTS) has no $1 ports left"
	PLATFORM_FIXED_NEXT=$((first + $1))
	TAKEN_PORTS="$first-$((first + $1 - 1))"
}

# claim_redis_ports: sets CLAIMED_REDIS_PORTS, once per platform, to 20 ports of its block (platform_ports): the
# brokers' BROKER_MARATHON_REDIS_PORTS when the caller sets none
claim_redis_ports() {
	[ -n "${CLAIMED_REDIS_PORTS:-}" ] && return 0
	platform_ports 20
	CLAIMED_REDIS_PORTS=$TAKEN_PORTS
}

release_ports() {
	local claim
	for claim in "$PORT_CLAIMS"/*/; do
		if [ "$(cat "$claim/pid" 2>/dev/null || true)" = "$$" ]; then
			rm -rf "$claim"
		fi
	done
}

# --- processes, temporary directories, cleanup ---------------------------------------------------------------

# spawn <log file> <command...>: runs the command in the background, stdout and stderr into the log file; sets
# SPAWNED_PID. The cleanup stops it, and shows the end of the log when the script fails. Variables set before
# spawn (VAR=value spawn ...) reach the command.
spawn() {
	local log=$1
	shift
	"$@" >"$log" 2>&1 &
	SPAWNED_PID=$!
	track "$SPAWNED_PID"
	STARTED_LOGS+=("$log")
}

# run_and_wait <output file> <command...>: runs the command (a load generator, a long step) in the background and
# waits for it; its exit status. Bash runs a trap only between foreground commands: in the foreground, a SIGTERM
# to the script would wait for the command to end; this way the cleanup runs at once and stops the command too.
run_and_wait() {
	spawn "$@"
	wait "$SPAWNED_PID"
}

# track <pid>: a process the script started in the background itself, for the cleanup to stop
track() {
	STARTED_PIDS+=("$1")
	STARTED_AT[$1]=$(start_time "$1")
}

# start_time <pid>: when the process started (clock ticks since boot, field 22 of /proc/<pid>/stat); nothing once it
# has ended
start_time() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	read -r -a stat <<<"${stat##*) }"
	echo "${stat[19]}"
}

# running <pid>: the process runs, and is the one tracked under that pid (not a later process that got the pid)
running() {
	kill -0 "$1" 2>/dev/null || return 1
	[ -z "${STARTED_AT[$1]:-}" ] || [ "$(start_time "$1")" = "${STARTED_AT[$1]}" ]
}

# descendants <pid>: the pids of every process under it, children first
descendants() {
	local child
	for child in $(pgrep -P "$1" || true); do
		echo "$child"
		descendants "$child"
	done
}

# await_exit <pid>: up to 10 s for a process asked to stop, then SIGKILL for it and every process under it
await_exit() {
	local pid=$1 left
	for _ in $(seq 1 100); do
		running "$pid" || break
		sleep 0.1
	done
	if running "$pid"; then
		mapfile -t left < <(descendants "$pid")
		kill -9 "$pid" "${left[@]}" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

# stop_process <pid>: SIGTERM, then await_exit
stop_process() {
	! running "$1" || kill "$1" 2>/dev/null || true
	await_exit "$1"
}

# stop_started: stops every process started through spawn or track, the newest first (the app, the broker, then
# the platform, which stops its redis-server tasks), and waits for each
stop_started() {
	local i pid running=0
	[ ${#STARTED_PIDS[@]} -gt 0 ] || return 0
	for ((i = ${#STARTED_PIDS[@]} - 1; i >= 0; i--)); do
		if running "${STARTED_PIDS[i]}" && kill "${STARTED_PIDS[i]}" 2>/dev/null; then
			running=$((running + 1))
		fi
	done
	for pid in "${STARTED_PIDS[@]}"; do
		await_exit "$pid"
	done
	STARTED_PIDS=()
	[ "$running" -eq 0 ] || echo "$SCRIPT_NAME: stopped every process it started" >&2
}

# stop_started_except <pid...>: stop_started, but the given processes keep running (and stay tracked for the cleanup):
# a script whose parts share one platform stops each part's broker and apps
stop_started_except() {
	local kept=() others=() pid
	for pid in "${STARTED_PIDS[@]}"; do
		if [[ " $* " == *" $pid "* ]]; then kept+=("$pid"); else others+=("$pid"); fi
	done
	STARTED_PIDS=("${others[@]}")
	stop_started
	STARTED_PIDS=("${kept[@]}")
}

# temp_dir <variable>: a new temporary directory, removed by the cleanup, into the variable
temp_dir() {
	local dir
	dir="$(mktemp -d)"
	TEMP_DIRS+=("$dir")
	printf -v "$1" '%s' "$dir"
}

show_logs() {
	local log
	local -A shown=()
	for log in "${STARTED_LOGS[@]}"; do
		if [ ! -s "$log" ] || [ -n "${shown[$log]:-}" ]; then
			continue
		fi
		shown[$log]=1
		echo "--- $log (last 40 lines)" >&2
		tail -n 40 "$log" >&2
	done
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	# a failure shows why; Ctrl-C (130) and kill (143) are no failure of the script
	[ "$rc" -eq 0 ] || [ "$rc" -eq 130 ] || [ "$rc" -eq 143 ] || show_logs
	stop_started
	release_ports
	[ ${#TEMP_DIRS[@]} -eq 0 ] || rm -rf "${TEMP_DIRS[@]}"
	local hook
	for hook in "${CLEANUP_HOOKS[@]}"; do "$hook"; done
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- class-data archives: the scripted JVMs start in less CPU time ---------------------------------------------

# Most JVMs that scripts/test starts (local platforms, brokers, apps: dozens, side by side on 2 cores) spend most of
# their CPU time starting. A class-data archive of a jar's classes (JDK 17's dynamic AppCDS, from a training start
# that stops once the Spring context is refreshed) lets a start map them instead of loading and verifying them
# again: a start of the local platform 4.0 -> 2.2 CPU seconds, of the broker 4.0 -> 2.4. scripts/test makes one per
# jar after packaging them (cds_prepare) and exports JAVA_CDS=on; elsewhere (scripts/demo, a bench run by hand) the
# jars run as they are, so that a bench's figures stay those of `java -jar`.

# cds_prepare <jar> [<app argument>...]: the jar extracted beside it (<name>-cds/, Spring Boot's -Djarmode=tools extract: the jar and its
# libraries as plain jars, which is what the archive can hold) and the archive (<name>-cds/app.jsa). The training
# start runs with the caller's environment (a subshell exporting what the app needs to start: no secret on a command
# line); its output in <name>-cds/training.log. Fails when no archive was made.
cds_prepare() {
	local jar dir
	# absolute: the archive records the class path it was made with, and a start from another directory (Maven's
	# end-to-end tests run in their module's) finds a relative one missing and runs without the archive, silently
	jar="$(cd "$(dirname "$1")" && pwd -P)/$(basename "$1")" dir="${jar%.jar}-cds"
	shift
	rm -rf "$dir"
	java -Djarmode=tools -jar "$jar" extract --destination "$dir" >/dev/null || return 1
	# the training start exits 0 once the context is refreshed; a start that fails still leaves the classes it loaded
	java -XX:TieredStopAtLevel=1 -XX:ArchiveClassesAtExit="$dir/app.jsa.new" -Dspring.context.exit=onRefresh \
		-jar "$dir/$(basename "$jar")" "$@" >"$dir/training.log" 2>&1 || true
	# in place whole, at once: JVMs started meanwhile (Maven's end-to-end tests) may look for it
	[ -s "$dir/app.jsa.new" ] && mv "$dir/app.jsa.new" "$dir/app.jsa"
}

# jar_args <jar>: java's arguments that run the jar, one per line (mapfile -t): -jar <jar>, or, with JAVA_CDS=on and
# an archive made after the jar was built, the extracted jar with its archive
jar_args() {
	local jar dir
	jar="$(cd "$(dirname "$1")" && pwd -P)/$(basename "$1")" dir="${jar%.jar}-cds"
	if [ "${JAVA_CDS:-}" = on ] && [ "$dir/app.jsa" -nt "$jar" ]; then
		printf '%s\n' "-XX:SharedArchiveFile=$dir/app.jsa" -jar "$dir/$(basename "$jar")"
	else
		printf '%s\n' -jar "$jar"
	fi
}

# --- the local platform and the broker -----------------------------------------------------------------------

# start_platform <state dir> <log file> <Marathon port from> <Consul port from> [<libStorage port from>] [<S3 port
# from>]: the local
# platform (Marathon, Consul and libStorage APIs, real redis-server tasks) on the first free ports from there
# (libStorage from 17979 by default); waits until Marathon and Consul answer. Sets MARATHON_PORT, CONSUL_PORT,
# MARATHON, CONSUL and LIBSTORAGE (base URLs), PLATFORM_PID. PLATFORM_JAVA_OPTS: its JVM options. With
# PLATFORM_CONSUL_ACL=deny its Consul enforces ACLs with default_policy "deny", as a production Consul does, with a new
# management token in CONSUL_MANAGEMENT_TOKEN (in the platform's environment, never on a command line); then
# consul_apply_policies gives the broker, the apps and marathon-consul their tokens. With PLATFORM_S3=on its S3 store
# (S3Proxy, for backups; a JVM of its own, so only for the scripts that back up) listens on the first free port from
# 19000: S3_PORT, S3 (its URL), with the key id S3_ACCESS_KEY_ID and a new secret in S3_SECRET_ACCESS_KEY (in the
# platform's environment, never on a command line).
start_platform() {
	local state_dir=$1 log=$2 java_options libstorage_port
	# The agents offer a block of 40 ports of this platform's own (local-platform.task-port-min/max), claimed, so that
	# platforms side by side (the benches, demos and proofs in scripts/test) never meet: a task that takes any port
	# gets one of the first 10 (the local platform picks at random in its range), and platform_ports hands out the
	# other 30 as fixed ports (a platform declines a required port another program holds)
	PLATFORM_TASK_PORTS=$(free_ports 40 31000)
	PLATFORM_FIXED_NEXT=$((${PLATFORM_TASK_PORTS%-*} + 10))
	PLATFORM_PORTS_LAST=${PLATFORM_TASK_PORTS#*-}
	CLAIMED_REDIS_PORTS=
	MARATHON_PORT="$(free_port "$3")"
	CONSUL_PORT="$(free_port "$4")"
	libstorage_port="$(free_port "${5:-17979}")"
	MARATHON="http://127.0.0.1:$MARATHON_PORT"
	CONSUL="http://127.0.0.1:$CONSUL_PORT"
	LIBSTORAGE="http://127.0.0.1:$libstorage_port"
	read -r -a java_options <<<"${PLATFORM_JAVA_OPTS:-}"
	local LOCAL_PLATFORM_CONSUL_ACL=allow LOCAL_PLATFORM_CONSUL_MANAGEMENT_TOKEN=""
	if [ "${PLATFORM_CONSUL_ACL:-allow}" = deny ]; then
		CONSUL_MANAGEMENT_TOKEN="$(new_guid)"
		LOCAL_PLATFORM_CONSUL_ACL=deny LOCAL_PLATFORM_CONSUL_MANAGEMENT_TOKEN=$CONSUL_MANAGEMENT_TOKEN
	fi
	export LOCAL_PLATFORM_CONSUL_ACL LOCAL_PLATFORM_CONSUL_MANAGEMENT_TOKEN
	local s3_options=(--local-platform.s3.enabled=false)
	if [ "${PLATFORM_S3:-off}" = on ]; then
		S3_PORT="$(free_port "${6:-19000}")"
		S3="http://127.0.0.1:$S3_PORT"
		s3_options=(--local-platform.s3.port="$S3_PORT")
	fi
	S3_ACCESS_KEY_ID=local-platform
	S3_SECRET_ACCESS_KEY="$(new_guid)"
	local LOCAL_PLATFORM_S3_ACCESS_KEY_ID=$S3_ACCESS_KEY_ID LOCAL_PLATFORM_S3_SECRET_ACCESS_KEY=$S3_SECRET_ACCESS_KEY
	export LOCAL_PLATFORM_S3_ACCESS_KEY_ID LOCAL_PLATFORM_S3_SECRET_ACCESS_KEY
	local run
	mapfile -t run < <(jar_args "$PLATFORM_JAR")
	spawn "$log" java "${java_options[@]}" "${run[@]}" --local-platform.marathon-port="$MARATHON_PORT" \
		--local-platform.consul-port="$CONSUL_PORT" --local-platform.libstorage-port="$libstorage_port" \
		--local-platform.state-dir="$state_dir" --local-platform.task-port-min="${PLATFORM_TASK_PORTS%-*}" \
		--local-platform.task-port-max="$PLATFORM_PORTS_LAST" "${s3_options[@]}"
	PLATFORM_PID=$SPAWNED_PID
	wait_until --while-running "$PLATFORM_PID" "$STARTUP_BOUND" "the local platform's Marathon API on $MARATHON/ping" \
		curl -fsS "$MARATHON/ping"
	wait_until --while-running "$PLATFORM_PID" 30 "the local platform's Consul API on $CONSUL/v1/status/leader" \
		curl -fsS "$CONSUL/v1/status/leader"
	if [ "${PLATFORM_S3:-off}" = on ]; then
		# any answer will do (403 without a signature): it listens
		wait_until --while-running "$PLATFORM_PID" 60 "the local platform's S3 store on $S3" curl -sS -o /dev/null "$S3/"
	fi
}

# consul_apply_policies <tokens file>: what an operator does on a Consul with ACLs on (README, Deploying):
# manifests/consul/apply.sh with the management token makes the shipped policies and the broker's, the apps' and
# marathon-consul's tokens (into the file, mode 600, as cf push vars); marathon-consul gets its token (the local
# platform's stand-in for --consul-token; MARATHON_CURL_CONFIG, a curl config file, holds Marathon's credentials
# when it requires them). Sets CONSUL_BROKER_TOKEN and CONSUL_APPS_TOKEN (shell variables, not
# exported: start_broker hands them to the broker) and CONSUL_HEADERS, a header file with the apps' token that this
# file's own Consul reads send (curl -H @file: no token on a command line).
consul_apply_policies() {
	local tokens=$1
	CONSUL_HTTP_ADDR=$CONSUL CONSUL_HTTP_TOKEN=$CONSUL_MANAGEMENT_TOKEN "$ROOT_DIR/manifests/consul/apply.sh" "$tokens" |
		sed "s/^/$SCRIPT_NAME: consul: /"
	CONSUL_BROKER_TOKEN=$(vars_value "$tokens" consul-token)
	CONSUL_APPS_TOKEN=$(vars_value "$tokens" consul-app-token)
	vars_value "$tokens" marathon-consul-token |
		curl -fsS ${MARATHON_CURL_CONFIG:+-K "$MARATHON_CURL_CONFIG"} -X PUT --data-binary @- \
			"$MARATHON/local-platform/marathon-consul/token" >/dev/null ||
		die "the local platform took no token for marathon-consul"
	CONSUL_HEADERS="$(dirname "$tokens")/consul-apps.headers"
	consul_token_headers "$CONSUL_HEADERS" "$CONSUL_APPS_TOKEN"
}

# consul_token_headers <file> <token>: a header file (mode 600) that sends the token to Consul, for curl -H @file
consul_token_headers() {
	(umask 077 && printf 'X-Consul-Token: %s\n' "$2" >"$1")
}

# vars_value <vars file> <name>: the value of "name: value" in a cf push vars file
vars_value() {
	sed -n "s/^$2: *\"\{0,1\}\([^\"]*\)\"\{0,1\} *\$/\1/p" "$1" | head -n 1
}

# consul_get <path>: Consul's answer as a bound app gets it (with the apps' token once consul_apply_policies ran)
consul_get() {
	if [ -n "${CONSUL_HEADERS:-}" ]; then
		curl -fsS -H "@$CONSUL_HEADERS" "$CONSUL$1"
	else
		curl -fsS "$CONSUL$1"
	fi
}

# stop_platform: stops the platform start_platform started (and with it its redis-server tasks)
stop_platform() {
	stop_process "$PLATFORM_PID"
}

# start_broker <log file> <port from> [java option...]: BROKER_JAR on the first free port from there, against the
# platform start_platform started, with a new user, password and secrets key, and each Redis on a port of its own
# from BROKER_MARATHON_REDIS_PORTS (default: the script's claim_redis_ports, inside the local platform's agent port
# range, 31000-32000), deleting deprovisioned instances' volumes through the
# platform's libStorage API (BROKER_VOLUMES_RETENTION, default 7d, says when); waits until its catalog answers.
# Sets BROKER_PORT, BROKER (base URL), BROKER_USER, BROKER_PASSWORD, BROKER_PID.
start_broker() {
	local log=$1
	BROKER_PORT="$(free_port "$2")"
	shift 2
	BROKER="http://127.0.0.1:$BROKER_PORT"
	[ -n "${BROKER_MARATHON_REDIS_PORTS:-}" ] || claim_redis_ports
	BROKER_USER="${SCRIPT_NAME%.sh}"
	BROKER_PASSWORD="$(random_hex 24)"
	# BROKER_SECRETS_KEY seals the Redis passwords in the broker's Consul records (AES-256); a broker started again
	# (scripts/demo --upgrade) keeps the key, so it opens the records its predecessor sealed
	BROKER_SECRETS_KEY=${BROKER_SECRETS_KEY:-$(secrets_key)}
	local run
	mapfile -t run < <(jar_args "$BROKER_JAR")
	BROKER_USERNAME=$BROKER_USER BROKER_PASSWORD=$BROKER_PASSWORD \
		BROKER_SECRETS_KEY="$BROKER_SECRETS_KEY" \
		MARATHON_URL=$MARATHON CONSUL_URL=$CONSUL CONSUL_APP_URL=$CONSUL PORT=$BROKER_PORT \
		CONSUL_TOKEN=${CONSUL_BROKER_TOKEN:-} CONSUL_APP_TOKEN=${CONSUL_APPS_TOKEN:-} \
		BROKER_VOLUMES_URL=$LIBSTORAGE BROKER_VOLUMES_SERVICE=local \
		BROKER_MARATHON_REDIS_PORTS=${BROKER_MARATHON_REDIS_PORTS:-$CLAIMED_REDIS_PORTS} \
		spawn "$log" java "$@" "${run[@]}"
	BROKER_PID=$SPAWNED_PID
	wait_until --while-running "$BROKER_PID" "$STARTUP_BOUND" "the broker's catalog on $BROKER/v2/catalog" \
		osb /v2/catalog -f
}

# osb <path> [curl option...]: a request to the broker start_broker started, as a platform sends it (its user,
# the OSB API version, JSON); prints the body
osb() {
	local path=$1
	shift
	curl -sS -u "$BROKER_USER:$BROKER_PASSWORD" -H 'X-Broker-API-Version: 2.16' -H 'Content-Type: application/json' \
		"$@" "$BROKER$path"
}

# --- what Cloud Foundry does, step by step -------------------------------------------------------------------

# step <name>: the step that fail names
STEP_NAME="start"
step() {
	STEP_NAME=$1
}

# fail <expected> <what came instead>: dies naming the step, both, and where the logs are (LOGS_DIR, when set)
fail() {
	die "FAILED at step \"$STEP_NAME\": expected $1, got $2.${LOGS_DIR:+ Logs: $LOGS_DIR}"
}

# cf_asks <method> <path> [body]: a request to the broker as CF sends it, naming the user behind it (the broker logs
# it with every operation); prints the body, then the status code on the last line
cf_asks() {
	local method=$1 path=$2 body=${3:-} identity
	identity=$(printf '{"user_id":"%s"}' "${SCRIPT_NAME%.sh}-$(id -un)" | base64 | tr -d '\n')
	local args=(-X "$method" -H "X-Broker-API-Originating-Identity: cloudfoundry $identity" -w '\n%{http_code}')
	[ -n "$body" ] && args+=(-d "$body")
	osb "$path" "${args[@]}"
}

# expect_status <expected codes regex> <response from cf_asks>: fails unless its status code matches
expect_status() {
	local status=${2##*$'\n'}
	[[ $status =~ ^($1)$ ]] || fail "HTTP $1" "HTTP $status: ${2%$'\n'*}"
}

# body_of <response from cf_asks>: the body without the status code
body_of() { printf '%s' "${1%$'\n'*}"; }

new_guid() { cat /proc/sys/kernel/random/uuid; }

# cf_provision <instance name> [plan, default small]: what `cf create-service redis <plan> <name>` does: fetches the
# catalog, provisions a redis of that plan and polls last_operation (printing it) until it succeeded. Sets CATALOG,
# SERVICE_ID, PLAN_ID, INSTANCE_ID, ORGANIZATION_GUID, SPACE_GUID. PROVISION_PARAMETERS (JSON), when set, are the
# parameters (`cf create-service -c`).
cf_provision() {
	local name=$1 plan=${2:-small} response operation
	step "fetch catalog"
	response=$(cf_asks GET /v2/catalog)
	expect_status 200 "$response"
	CATALOG=$(body_of "$response")
	SERVICE_ID=$(jq -r '.services[] | select(.name == "redis") | .id' <<<"$CATALOG")
	PLAN_ID=$(jq -r --arg plan "$plan" '.services[] | select(.name == "redis") | .plans[] | select(.name == $plan) | .id' <<<"$CATALOG")
	[ -n "$SERVICE_ID" ] && [ -n "$PLAN_ID" ] || fail "a service 'redis' with a plan '$plan'" "$CATALOG"
	say "catalog: service redis ($SERVICE_ID), plans $(jq -r '[.services[] | select(.name == "redis") | .plans[].name] | join(", ")' <<<"$CATALOG")"

	step "provision"
	INSTANCE_ID=$(new_guid)
	ORGANIZATION_GUID=$(new_guid)
	SPACE_GUID=$(new_guid)
	response=$(cf_asks PUT "/v2/service_instances/$INSTANCE_ID?accepts_incomplete=true" \
		"{\"service_id\":\"$SERVICE_ID\",\"plan_id\":\"$PLAN_ID\",\"organization_guid\":\"$ORGANIZATION_GUID\",\"space_guid\":\"$SPACE_GUID\",\"context\":{\"platform\":\"cloudfoundry\",\"instance_name\":\"$name\"}${PROVISION_PARAMETERS:+,\"parameters\":$PROVISION_PARAMETERS}}")
	expect_status '202|201' "$response"
	operation=$(body_of "$response" | jq -r '.operation // ""')
	say "provision: redis $plan, instance $INSTANCE_ID (HTTP ${response##*$'\n'})"

	step "wait for provision"
	await_last_operation provision "$operation" 120
}

# await_last_operation <provision|update|deprovision> <operation> <seconds>: polls last_operation with the
# operation's token, as CF does, printing each new state, until it says succeeded (a deprovision also ends on
# 410 Gone: the broker no longer knows the instance); fails on "failed" or after that many seconds
await_last_operation() {
	local verb=$1 operation=$2 bound=$3 deadline response state description last_description=""
	deadline=$((SECONDS + bound))
	while :; do
		response=$(cf_asks GET "/v2/service_instances/$INSTANCE_ID/last_operation?service_id=$SERVICE_ID&plan_id=$PLAN_ID&operation=$operation")
		if [ "$verb" = deprovision ] && [ "${response##*$'\n'}" = 410 ]; then
			say "last_operation: gone (HTTP 410)"
			return 0
		fi
		expect_status 200 "$response"
		state=$(body_of "$response" | jq -r '.state')
		description=$(body_of "$response" | jq -r '.description // ""')
		if [ "$description" != "$last_description" ] || [ "$state" != "in progress" ]; then
			say "last_operation: $state${description:+ ($description)}"
			last_description=$description
		fi
		case "$state" in
			succeeded) return 0 ;;
			failed) fail "the $verb's last_operation succeeded" "failed: $description" ;;
		esac
		[ $SECONDS -lt $deadline ] || fail "the $verb's last_operation succeeded within ${bound}s" "still '$state'"
		sleep 0.5
	done
}

# cf_bind: what `cf bind-service` does for the instance cf_provision made; prints the binding's Redis user.
# Sets BINDING_ID and CREDENTIALS (JSON).
cf_bind() {
	local response
	step "bind"
	BINDING_ID=$(new_guid)
	response=$(cf_asks PUT "/v2/service_instances/$INSTANCE_ID/service_bindings/$BINDING_ID" \
		"{\"service_id\":\"$SERVICE_ID\",\"plan_id\":\"$PLAN_ID\",\"bind_resource\":{\"app_guid\":\"$(new_guid)\"}}")
	expect_status '201|200' "$response"
	CREDENTIALS=$(body_of "$response" | jq -c '.credentials')
	say "bind: credentials for Redis user $(jq -r .username <<<"$CREDENTIALS") with host, port, password and $(jq -r '"consul_url \(.consul_url), datacenter \(.consul_datacenter), service \(.consul_service)"' <<<"$CREDENTIALS")"
}

# vcap_services <name> [plan, default small]: the VCAP_SERVICES CF gives an app bound to the binding cf_bind made, the
# service instance named so
vcap_services() {
	jq -c -n --arg name "$1" --arg plan "${2:-small}" --argjson credentials "$CREDENTIALS" --argjson catalog "$CATALOG" \
		--arg instance "$INSTANCE_ID" --arg binding "$BINDING_ID" '{
		redis: [{
			name: $name, instance_name: $name, binding_name: null,
			label: "redis", tags: ($catalog.services[] | select(.name == "redis") | .tags // []),
			plan: $plan, provider: null, syslog_drain_url: null, volume_mounts: [],
			instance_guid: $instance, binding_guid: $binding, credentials: $credentials
		}]}'
}

# cf_unbind: what `cf unbind-service` does for the binding cf_bind made
cf_unbind() {
	local response
	step "unbind"
	response=$(cf_asks DELETE "/v2/service_instances/$INSTANCE_ID/service_bindings/$BINDING_ID?service_id=$SERVICE_ID&plan_id=$PLAN_ID")
	expect_status 200 "$response"
}

# cf_deprovision: what `cf delete-service` does for the instance cf_provision made: the delete, then
# last_operation with the delete's token until it succeeded (or 410 Gone); then, without the token, 410 Gone
cf_deprovision() {
	local response
	step "deprovision"
	response=$(cf_asks DELETE "/v2/service_instances/$INSTANCE_ID?accepts_incomplete=true&service_id=$SERVICE_ID&plan_id=$PLAN_ID")
	expect_status '202|200' "$response"
	await_last_operation deprovision "$(body_of "$response" | jq -r '.operation // ""')" 60
	expect_status 410 "$(cf_asks GET "/v2/service_instances/$INSTANCE_ID/last_operation?service_id=$SERVICE_ID&plan_id=$PLAN_ID")"
}

# restart_redis: asks Marathon to restart the instance's Redis, then waits until Marathon has replaced the task,
# Consul lists the new one as passing, and the restart's deployment is over (Marathon answers 409 to a restart while
# one runs). The app is found by its label osb_instance_id: the broker names it (its Marathon group), the script does
# not assume the name. Sets REDIS_APP (its Marathon id).
restart_redis() {
	local task_before
	step "restart Redis"
	REDIS_APP=$(curl -fsS "$MARATHON/v2/apps" |
		jq -r --arg id "$INSTANCE_ID" '.apps[] | select(.labels.osb_instance_id == $id) | .id')
	if [[ $REDIS_APP != /* ]] || [[ $REDIS_APP == *$'\n'* ]]; then
		fail "one Marathon app labelled osb_instance_id=$INSTANCE_ID" "'$REDIS_APP'"
	fi
	wait_until 60 "the deployments of $REDIS_APP to finish" redis_deployed
	task_before=$(curl -fsS "$MARATHON/v2/apps$REDIS_APP/tasks" | jq -r '.tasks[0].id // ""')
	curl -fsS -X POST "$MARATHON/v2/apps$REDIS_APP/restart" >/dev/null || fail "Marathon to accept the restart of $REDIS_APP" "an error"
	say "restart: asked Marathon to restart $REDIS_APP"
	step "follow Redis"
	wait_until 60 "Marathon to replace the Redis task and Consul to list the new one as passing" \
		redis_replaced "$task_before" "$(jq -r .consul_service <<<"$CREDENTIALS")"
	wait_until 60 "the restart's deployment of $REDIS_APP to finish" redis_deployed
}

# redis_deployed: no deployment of REDIS_APP runs
redis_deployed() {
	curl -fsS "$MARATHON/v2/apps$REDIS_APP" | jq -e '.app.deployments | length == 0'
}

# redis_replaced <task before> <Consul service>: Marathon runs a new task of REDIS_APP, and Consul lists it as
# passing (marathon-consul's service ids start with the task's id)
redis_replaced() {
	local task json
	task=$(curl -fsS "$MARATHON/v2/apps$REDIS_APP/tasks" | jq -r '.tasks[0].id // ""') || return 1
	[ -n "$task" ] && [ "$task" != "$1" ] || return 1
	json=$(consul_get "/v1/health/service/$2?passing") || return 1
	jq -e --arg task "$task" 'length == 1 and (.[0].Service.ID | startswith($task))' <<<"$json"
}

# --- an ha instance: its primary, through the Sentinels, as the binding's user -----------------------------------

# ha_broker_options: sets HA_BROKER_OPTIONS, start_broker's options for a catalog of one plan, ha, as the catalog ships
# it but for Sentinel's down-after, DOWN_AFTER (default 1s, the local platform's setting; the plan's own default, 5s,
# fits a real cluster), and failover-timeout, FAILOVER_TIMEOUT (default 3s; 10s in the plan)
ha_broker_options() {
	# shellcheck disable=SC2034 # for the script that sources this file
	HA_BROKER_OPTIONS=(-Dbroker.catalog.plans[0].id=c4f736b3-14cd-4e7c-8dbf-b8030e281f88
		-Dbroker.catalog.plans[0].name=ha -Dbroker.catalog.plans[0].mem-mb=256 -Dbroker.catalog.plans[0].cpus=0.2
		-Dbroker.catalog.plans[0].maxmemory=128mb -Dbroker.catalog.plans[0].volume-gb=1
		-Dbroker.catalog.plans[0].ha.down-after="${DOWN_AFTER:-1s}"
		-Dbroker.catalog.plans[0].ha.failover-timeout="${FAILOVER_TIMEOUT:-3s}")
}

# as_binding_user <host> <port> <command...>: redis-cli as the user of the binding cf_bind made (the password through
# REDISCLI_AUTH, never on the command line); over TLS trusting the binding's ca_certificate when it has one
as_binding_user() {
	local tls=()
	if jq -e .ca_certificate <<<"$CREDENTIALS" >/dev/null; then
		jq -r .ca_certificate <<<"$CREDENTIALS" >"${TMPDIR:-/tmp}/binding-ca-$$.pem"
		tls=(--tls --cacert "${TMPDIR:-/tmp}/binding-ca-$$.pem")
	fi
	REDISCLI_AUTH=$(jq -r .password <<<"$CREDENTIALS") redis-cli --no-auth-warning "${tls[@]}" \
		--user "$(jq -r .username <<<"$CREDENTIALS")" -h "$1" -p "$2" "${@:3}"
}

# expect_binding_user_refused <host> <port> <what>: the binding's password no longer opens the Redis or Sentinel
# there (WRONGPASS), as right after an unbind
expect_binding_user_refused() {
	local answer
	answer=$(as_binding_user "$1" "$2" PING 2>&1 || true)
	[[ $answer == *WRONGPASS* ]] || fail "WRONGPASS for the unbound Redis user on $3 at $1:$2" "$answer"
}

# ha_primary: "<host> <port>" of the primary as the first Sentinel of the binding that answers names it
ha_primary() {
	local sentinel master
	master=$(jq -r .master_name <<<"$CREDENTIALS")
	for sentinel in $(jq -r '.sentinels[] | "\(.host):\(.port)"' <<<"$CREDENTIALS"); do
		as_binding_user "${sentinel%:*}" "${sentinel##*:}" SENTINEL get-master-addr-by-name "$master" 2>/dev/null |
			paste -sd ' ' - | grep -E '^[^ ]+ [0-9]+$' && return 0
	done
	return 1
}

# ha_kill_primary: kill -9 of the primary's redis-server (its process_id from INFO); sets KILLED_HOST, KILLED_PORT
# and KILLED_AT (epoch seconds)
ha_kill_primary() {
	local pid
	read -r KILLED_HOST KILLED_PORT <<<"$(ha_primary)" || fail "a primary named by the Sentinels" "none"
	pid=$(as_binding_user "$KILLED_HOST" "$KILLED_PORT" INFO server | tr -d '\r' | sed -n 's/^process_id://p')
	[ -n "$pid" ] || fail "the process_id of the primary at $KILLED_HOST:$KILLED_PORT" "none"
	kill -9 "$pid"
	# shellcheck disable=SC2034 # for the script that sources this file
	KILLED_AT=$(date +%s.%N)
}

# ha_back_as_replica <host> <port>: the node answers as a replica with its link to the primary up, and Consul lists
# the instance's three nodes as passing
ha_back_as_replica() {
	as_binding_user "$1" "$2" INFO replication | grep -q '^master_link_status:up' &&
		[ "$(consul_get "/v1/health/service/$(jq -r .consul_service <<<"$CREDENTIALS")?passing" | jq length)" = 3 ]
}

# --- measuring a process -------------------------------------------------------------------------------------

# rss_kb <pid>: its resident set size in kB
rss_kb() {
	ps -o rss= -p "$1" | tr -d ' '
}

# sample_rss <pid> <file>: its RSS in kB every 0.5 s into the file, in the background until the process exits or
# the sampler is stopped (stop_process "$SAMPLER_PID"; else the cleanup stops it); sets SAMPLER_PID
sample_rss() {
	(while kill -0 "$1" 2>/dev/null; do
		rss_kb "$1"
		sleep 0.5
	done) >"$2" &
	SAMPLER_PID=$!
	track "$SAMPLER_PID"
}

# peak_kb <file>: the largest sample sample_rss wrote
peak_kb() {
	sort -n "$1" | tail -1
}

# p50_max <milliseconds...>: "p50 <median> ms, max <largest> ms" of the figures
p50_max() {
	local sorted
	sorted=$(printf '%s\n' "$@" | sort -n)
	printf 'p50 %s ms, max %s ms' "$(sed -n "$((($# + 1) / 2))p" <<<"$sorted")" "$(tail -1 <<<"$sorted")"
}

# cpu_ticks <pid>: the CPU time it has used, user and system, in clock ticks (fields 14 and 15 of /proc/<pid>/stat)
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}
