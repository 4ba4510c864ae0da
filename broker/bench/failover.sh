#!/usr/bin/env bash
# Failovers of an `ha` instance under a steady write load: the local platform and the broker, one `ha` instance
# provisioned and bound as Cloud Foundry would, then broker/bench/failover_writer.py writing through the Sentinels
# with the binding's credentials (SET, then WAIT 1 1000: acknowledged only once a replica has it) while this script
# kills the primary's redis-server with SIGKILL N times, waiting after each until the killed node is back as a
# replica. Prints, per failover, the time from the kill to the first acknowledged write, and in total the
# acknowledged writes lost (read back from the primary at the end; target 0) and the failed writes.
#
# Needs: the built jars (./mvnw -B -ntp package -DskipTests), redis-server, redis-cli, curl, jq, Debian's
# python3-redis (PYTHON names another python3 that has redis-py).
# Usage: broker/bench/failover.sh [failovers, default 5] [seconds of load before each kill, default 3]
#   (scripts/test runs it in a smoke size: broker/bench/failover.sh 1 1)
#   FAILOVER_MODE=agent ... instead of killing the primary's process, stop its Mesos agent (POST
#                     /local-platform/agents/{host}/stop: its tasks and their processes gone at once) on a platform of
#                     LOCAL_PLATFORM_AGENTS agents (default 4 here): Marathon brings the lost node back on another
#                     agent; prints per failover the time to the first acknowledged write and the time until the
#                     broker's health (the `ha` component, checked every HA_INTERVAL, default 1s here) says the
#                     instance is whole again (primary, 2 replicas in sync, 3 Sentinels), then the time until no
#                     Sentinel lists the node's old address (the broker's SENTINEL RESET), then starts the agent again
#   DOWN_AFTER=5s ... the ha plan's Sentinel down-after (default 1s, the local platform's setting; the plan's own
#                     default, 5s, fits a real cluster: add it to these figures to read them for one)
#   FAILOVER_TIMEOUT=10s ... its failover-timeout (default 3s here; 10s in the plan): Sentinels whose votes split
#                     try again after twice this
#   FAILOVER_EVIDENCE=<dir> ... work in <dir> (made; kept after the run) instead of a temporary directory: the
#                     platform's state (the nodes' volumes, and the sandboxes of ended tasks with each node's Redis and
#                     Sentinel log in stdout), broker.log, writes.log and roles.log stay for reading
# Throughout, every node's role is sampled (every 0.5 s, slower under load: INFO replication as the binding's user,
# each address Consul lists for the instance): the run prints the samples in which two nodes answered role:master
# and fails on any, as on an acknowledged write lost.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/../../scripts/lib.sh"

FAILOVERS="${1:-5}"
LOAD="${2:-3}"
MODE=${FAILOVER_MODE:-kill}
python=${PYTHON:-/usr/bin/python3}
require curl jq redis-cli
require_jars "$PLATFORM_JAR" "$BROKER_JAR"
"$python" -c 'import redis' 2>/dev/null || die "redis-py missing for $python (apt-get install -y python3-redis)"
case "$MODE" in
	kill) ;;
	# a spare agent for the lost node to come back on
	agent) export LOCAL_PLATFORM_AGENTS=${LOCAL_PLATFORM_AGENTS:-4} ;;
	*) die "FAILOVER_MODE is kill (the default) or agent, not '$MODE'" ;;
esac

if [ -n "${FAILOVER_EVIDENCE:-}" ]; then
	mkdir -p "$FAILOVER_EVIDENCE"
	WORK=$(cd "$FAILOVER_EVIDENCE" && pwd)
else
	temp_dir WORK
fi
start_platform "$WORK/platform" "$WORK/platform.log" 26180 26600
# one plan, ha, as the catalog ships it but for Sentinel's down-after and failover-timeout
ha_broker_options
if [ "$MODE" = agent ]; then
	# the broker's health says "whole" as of its last check: check often to time it
	HA_BROKER_OPTIONS+=(-Dbroker.reconcile.ha-interval="${HA_INTERVAL:-1s}")
fi
start_broker "$WORK/broker.log" 26190 "${HA_BROKER_OPTIONS[@]}"
cf_provision failover-bench ha
cf_bind

# first_ack_after <epoch seconds>: when the first write was acknowledged after the writer first failed since then
# (a write in flight at the kill may still have been acknowledged by the dying primary); fails when none was yet
first_ack_after() {
	awk -v t="$1" '$1 > t && $2 == "fail" { down = 1 } down && $2 == "ack" { print $1; found = 1; exit }
		END { exit !found }' "$WORK/writes.log"
}

# sample_roles: one line per 0.5 s, "<epoch seconds> <host:port>=<role>/<connected replicas> ...", every address
# Consul lists for the instance's Redis (passing or not), until the STOP file exists
sample_roles() {
	local service address info line
	service=$(jq -r .consul_service <<<"$CREDENTIALS")
	while [ ! -e "$STOP" ]; do
		line=$(date +%s.%N)
		for address in $(consul_get "/v1/catalog/service/$service" 2>/dev/null |
			jq -r '.[] | "\(.ServiceAddress):\(.ServicePort)"' | sort -u); do
			info=$(as_binding_user "${address%:*}" "${address##*:}" -t 2 INFO replication 2>/dev/null | tr -d '\r') || true
			line+=" $address=$(sed -n 's/^role://p' <<<"$info")/$(sed -n 's/^connected_slaves://p' <<<"$info")"
		done
		echo "$line"
		sleep 0.5
	done
}

STOP="$WORK/stop"
rm -f "$STOP"
sample_roles >"$WORK/roles.log" 2>/dev/null &
SAMPLER_PID=$!
track "$SAMPLER_PID"
CREDENTIALS="$CREDENTIALS" STOP="$STOP" spawn "$WORK/writes.log" "$python" "$(dirname "$0")/failover_writer.py"
WRITER_PID=$SPAWNED_PID
wait_until --while-running "$WRITER_PID" 60 "the first acknowledged write" grep -q ' ack ' "$WORK/writes.log"

# ms_since <epoch seconds> [<epoch seconds>, default now]: the milliseconds between them
ms_since() {
	awk -v t="$1" -v u="${2:-$(date +%s.%N)}" 'BEGIN { printf "%d", (u - t) * 1000 }'
}

# ha_whole_is <true|false>: the broker's health, with its credentials, says the instance is whole (or not)
ha_whole_is() {
	curl -fsS -u "$BROKER_USER:$BROKER_PASSWORD" "$BROKER/actuator/health" |
		jq -e --arg id "$INSTANCE_ID" --argjson whole "$1" '.components.ha.details.nodes[$id].whole == $whole'
}

# sentinels_forgot <host:port>: every Sentinel Consul lists as passing answers, as the binding's user, and lists
# the address as no replica of the master
sentinels_forgot() {
	local sentinel listed master
	master=$(jq -r .master_name <<<"$CREDENTIALS")
	listed=$(consul_get "/v1/health/service/$(jq -r .consul_sentinel_service <<<"$CREDENTIALS")?passing" |
		jq -r '.[] | "\(.Service.Address):\(.Service.Port)"') || return 1
	[ "$(wc -l <<<"$listed")" = 3 ] || return 1
	for sentinel in $listed; do
		as_binding_user "${sentinel%:*}" "${sentinel##*:}" --raw SENTINEL replicas "$master" >"$WORK/replicas" || return 1
		grep -qx 'flags' "$WORK/replicas" || return 1
		! printf ' %s \n' "$(paste -sd ' ' "$WORK/replicas")" | grep -qF " name $1 " || return 1
	done
}

# failover_by_agent <n>: stops the agent of the primary, times the first acknowledged write, the instance whole again
# and the old address forgotten, then starts the agent again
failover_by_agent() {
	local n=$1 host port stopped_at acked ms whole_ms forgot_ms moved
	read -r host port <<<"$(ha_primary)" || fail "a primary named by the Sentinels" "none"
	stopped_at=$(date +%s.%N)
	curl -fsS -X POST "$MARATHON/local-platform/agents/$host/stop" >/dev/null || fail "the agent $host stopped" "an error"
	wait_until 120 "an acknowledged write after the agent $host of the primary $host:$port stopped" \
		first_ack_after "$stopped_at"
	acked=$(first_ack_after "$stopped_at")
	ms=$(ms_since "$stopped_at" "$acked")
	wait_until 60 "the broker's health to say the instance is degraded" ha_whole_is false
	wait_until 180 "the broker's health to say the instance is whole again" ha_whole_is true
	whole_ms=$(ms_since "$stopped_at")
	wait_until 120 "no Sentinel to list the old address $host:$port" sentinels_forgot "$host:$port"
	forgot_ms=$(ms_since "$stopped_at")
	moved=$(consul_get "/v1/health/service/$(jq -r .consul_service <<<"$CREDENTIALS")?passing" |
		jq -r '[.[].Service.Address] | sort | join(" ")')
	times+=("$ms")
	whole_times+=("$whole_ms")
	echo "failover $n: agent $host of the primary $host:$port stopped, first acknowledged write after $ms ms, whole again after $whole_ms ms, old address forgotten after $forgot_ms ms (nodes on $moved)"
	curl -fsS -X POST "$MARATHON/local-platform/agents/$host/start" >/dev/null || fail "the agent $host started" "an error"
}

if [ "$MODE" = agent ]; then
	wait_until 60 "the broker's health to say the instance is whole" ha_whole_is true
	say "ha instance $INSTANCE_ID: $FAILOVERS failovers by stopping the primary's agent (of $LOCAL_PLATFORM_AGENTS), ${LOAD}s of writes with WAIT 1 before each, Sentinel down-after ${DOWN_AFTER:-1s}, failover-timeout ${FAILOVER_TIMEOUT:-3s}, broker ha-interval ${HA_INTERVAL:-1s}"
else
	say "ha instance $INSTANCE_ID: $FAILOVERS failovers, ${LOAD}s of writes with WAIT 1 before each, Sentinel down-after ${DOWN_AFTER:-1s}, failover-timeout ${FAILOVER_TIMEOUT:-3s}"
fi
times=()
whole_times=()
for ((n = 1; n <= FAILOVERS; n++)); do
	sleep "$LOAD"
	if [ "$MODE" = agent ]; then
		failover_by_agent "$n"
		continue
	fi
	ha_kill_primary
	wait_until 120 "an acknowledged write after the kill of the primary at $KILLED_HOST:$KILLED_PORT" \
		first_ack_after "$KILLED_AT"
	acked=$(first_ack_after "$KILLED_AT")
	ms=$(awk -v a="$acked" -v k="$KILLED_AT" 'BEGIN { printf "%d", (a - k) * 1000 }')
	times+=("$ms")
	echo "failover $n: primary $KILLED_HOST:$KILLED_PORT killed, first acknowledged write after $ms ms"
	wait_until 180 "the killed node back as a replica" ha_back_as_replica "$KILLED_HOST" "$KILLED_PORT"
done
touch "$STOP"
await_exit "$WRITER_PID"
await_exit "$SAMPLER_PID"
two_primaries=$(grep -c '=master/.*=master/' "$WORK/roles.log" || true)

acknowledged=$(grep -c ' ack ' "$WORK/writes.log" || true)
failed=$(grep -c ' fail$' "$WORK/writes.log" || true)
read -r host port <<<"$(ha_primary)"
lost=$(grep ' ack ' "$WORK/writes.log" | awk '{ print $3 }' |
	CREDENTIALS="$CREDENTIALS" HOST="$host" PORT="$port" "$python" -c '
import json, os, sys
import redis
c = json.loads(os.environ["CREDENTIALS"])
r = redis.Redis(host=os.environ["HOST"], port=int(os.environ["PORT"]), username=c["username"], password=c["password"])
keys = [line.strip() for line in sys.stdin if line.strip()]
values = r.mget(keys) if keys else []
print(sum(1 for key, value in zip(keys, values) if value is None or value.decode() != key[1:]))')
echo "kill to first acknowledged write: $(p50_max "${times[@]}") over ${#times[@]} failovers (target p50 <= 5000 ms)"
if [ "$MODE" = agent ]; then
	echo "agent stop to whole again: $(p50_max "${whole_times[@]}") over ${#whole_times[@]} failovers (the broker's health, checked every ${HA_INTERVAL:-1s})"
	echo "Sentinel entries of moved nodes cleared by the broker: $(grep -c 'event=sentinel_reset ' "$WORK/broker.log" || true) (event=sentinel_reset)"
fi
echo "acknowledged writes: $acknowledged, lost: $lost (target 0), failed writes: $failed"
echo "role samples with two primaries: $two_primaries of $(wc -l <"$WORK/roles.log") (target 0)"
[ "$lost" = 0 ] || die "$lost acknowledged writes lost"
[ "$two_primaries" = 0 ] || die "two primaries in $two_primaries role samples (roles.log)"
