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
#   DOWN_AFTER=5s ... the ha plan's Sentinel down-after (default 1s, the local platform's setting; the plan's own
#                     default, 5s, fits a real cluster: add it to these figures to read them for one)
#   FAILOVER_TIMEOUT=10s ... its failover-timeout (default 3s here; 10s in the plan): Sentinels whose votes split
#                     try again after twice this
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/../../scripts/lib.sh"

FAILOVERS="${1:-5}"
LOAD="${2:-3}"
python=${PYTHON:-/usr/bin/python3}
require curl jq redis-cli
require_jars "$PLATFORM_JAR" "$BROKER_JAR"
"$python" -c 'import redis' 2>/dev/null || die "redis-py missing for $python (apt-get install -y python3-redis)"

temp_dir WORK
start_platform "$WORK/platform" "$WORK/platform.log" 26180 26600
# one plan, ha, as the catalog ships it but for Sentinel's down-after and failover-timeout
ha_broker_options
start_broker "$WORK/broker.log" 26190 "${HA_BROKER_OPTIONS[@]}"
cf_provision failover-bench ha
cf_bind

# first_ack_after <epoch seconds>: when the first write was acknowledged after the writer first failed since then
# (a write in flight at the kill may still have been acknowledged by the dying primary); fails when none was yet
first_ack_after() {
	awk -v t="$1" '$1 > t && $2 == "fail" { down = 1 } down && $2 == "ack" { print $1; found = 1; exit }
		END { exit !found }' "$WORK/writes.log"
}

STOP="$WORK/stop"
CREDENTIALS="$CREDENTIALS" STOP="$STOP" spawn "$WORK/writes.log" "$python" "$(dirname "$0")/failover_writer.py"
WRITER_PID=$SPAWNED_PID
wait_until --while-running "$WRITER_PID" 60 "the first acknowledged write" grep -q ' ack ' "$WORK/writes.log"

say "ha instance $INSTANCE_ID: $FAILOVERS failovers, ${LOAD}s of writes with WAIT 1 before each, Sentinel down-after ${DOWN_AFTER:-1s}, failover-timeout ${FAILOVER_TIMEOUT:-3s}"
times=()
for ((n = 1; n <= FAILOVERS; n++)); do
	sleep "$LOAD"
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
sorted_ms=$(printf '%s\n' "${times[@]}" | sort -n)
p50=$(sed -n "$(((${#times[@]} + 1) / 2))p" <<<"$sorted_ms")
echo "kill to first acknowledged write: p50 $p50 ms, max $(tail -1 <<<"$sorted_ms") ms over ${#times[@]} failovers (target p50 <= 5000 ms)"
echo "acknowledged writes: $acknowledged, lost: $lost (target 0), failed writes: $failed"
[ "$lost" = 0 ] || die "$lost acknowledged writes lost"
