#!/usr/bin/env bash
# Measures a backup (issue 26): one instance on the local platform filled with a dataset of the given size (random
# values, so the RDB does not compress it away), backed up through the OSB API ({"backup": "now"}) into the
# platform's S3 store (S3Proxy). Prints the backup's MB/s beside `redis-cli --rdb` to /dev/null on the same instance
# in the same run (target: >= 0.8x), the broker's RSS growth during the backup (target: <= 64 MB), and the restore's
# time to succeeded (restore_from latest into a new instance of the same plan and space). Both transfers include Redis's
# repl-diskless-sync-delay (5s by default), as any diskless SYNC does.
# Everything binds 127.0.0.1 on free ports and is stopped on exit, Ctrl-C or kill (scripts/lib.sh).
#
# Needs: the built jars (./mvnw -B -ntp package -DskipTests), redis-server, redis-cli, python3, curl, jq.
# Usage: broker/bench/backup.sh [dataset MB, default 256]   (scripts/test runs it in a smoke size: 8)
#   BROKER_JAVA_OPTS="-Xmx256m ..."   JVM options of the broker (default: JAVA_OPTS of manifests/broker/manifest.yml)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/../../scripts/lib.sh"

DATASET_MB="${1:-256}"
require redis-cli python3 curl jq java
require_jars "$BROKER_JAR" "$PLATFORM_JAR"
BROKER_JAVA_OPTS="${BROKER_JAVA_OPTS:-$(manifest_env "$ROOT_DIR/manifests/broker/manifest.yml" JAVA_OPTS)}"
read -r -a broker_java_options <<<"$BROKER_JAVA_OPTS"

temp_dir WORK
PLATFORM_S3=on start_platform "$WORK/platform" "$WORK/platform.log" 27080 27500 27979 27900
# one plan large enough for the dataset, whose bindings may also run `redis-cli --rdb` (+sync +replconf) for the
# comparison; the store's secret reaches the broker in its environment, never on a command line
PLAN_ID=9b7e1c2a-bench-4e0f-8a55-backupbench01
export SPRING_APPLICATION_JSON="{\"broker\":{\"catalog\":{\"plans\":[{\"id\":\"$PLAN_ID\",\"name\":\"bench\",
	\"description\":\"backup bench\",\"mem-mb\":$((DATASET_MB * 3 + 256)),\"cpus\":1,
	\"maxmemory\":\"$((DATASET_MB * 2 + 64))mb\",\"volume-gb\":1,
	\"acl-rules\":\"~* &* +@all -@admin -@dangerous +info +sync +replconf\"}]}}}"
export BROKER_BACKUPS_BUCKET=bench BROKER_BACKUPS_ENDPOINT=$S3 BROKER_BACKUPS_PATH_STYLE=true \
	BROKER_BACKUPS_ACCESS_KEY_ID=$S3_ACCESS_KEY_ID BROKER_BACKUPS_SECRET_ACCESS_KEY=$S3_SECRET_ACCESS_KEY
# the backup's steps in the broker's log, for the timeline below
start_broker "$WORK/broker.log" 27090 "${broker_java_options[@]}" -Dlogging.level.io.github.redisonmesos.broker.backup=debug
unset SPRING_APPLICATION_JSON BROKER_BACKUPS_SECRET_ACCESS_KEY

SERVICE_ID="$(osb /v2/catalog -f | jq -r '.services[0].id')"
INSTANCE="$(cat /proc/sys/kernel/random/uuid)"
osb "/v2/service_instances/$INSTANCE?accepts_incomplete=true" -f -X PUT -d "{\"service_id\":\"$SERVICE_ID\",
	\"plan_id\":\"$PLAN_ID\",\"organization_guid\":\"bench-org\",\"space_guid\":\"bench-space\"}" >/dev/null
provisioned() { osb "/v2/service_instances/$INSTANCE/last_operation" -f | jq -e '.state == "succeeded"'; }
wait_until 120 "the provision of instance $INSTANCE to succeed" provisioned
osb "/v2/service_instances/$INSTANCE/service_bindings/$(cat /proc/sys/kernel/random/uuid)" -f -X PUT \
	-d "{\"service_id\":\"$SERVICE_ID\",\"plan_id\":\"$PLAN_ID\",\"bind_resource\":{\"app_guid\":\"bench\"}}" |
	jq '.credentials' >"$WORK/credentials.json"
chmod 600 "$WORK/credentials.json"
HOST="$(jq -r .host "$WORK/credentials.json")"
PORT="$(jq -r .port "$WORK/credentials.json")"
USER_NAME="$(jq -r .username "$WORK/credentials.json")"
# redis-cli reads the password from REDISCLI_AUTH: never on a command line
REDISCLI_AUTH="$(jq -r .password "$WORK/credentials.json")"
export REDISCLI_AUTH
rcli() { redis-cli -h "$HOST" -p "$PORT" --user "$USER_NAME" --no-auth-warning "$@"; }

# the dataset: 1 KB values of random base64, written through redis-cli --pipe
python3 - "$DATASET_MB" <<'PY' | rcli --pipe >/dev/null
import base64, os, sys
out = sys.stdout.buffer
for i in range(int(sys.argv[1]) * 1024):
    key = b"bench:%d" % i
    value = base64.b64encode(os.urandom(768))
    out.write(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(key), key, len(value), value))
PY
echo "dataset: $(rcli dbsize) keys, used_memory $(rcli info memory | tr -d '\r' | sed -n 's/^used_memory_human://p'); $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# redis-cli --rdb to /dev/null: the same SYNC, nothing stored
started=$(date +%s.%N)
# redis-cli 7.0 exits 1 after a transfer to /dev/null (it cannot ftruncate or fsync it): its own line says how it went
rcli --rdb /dev/null >"$WORK/rdb.out" 2>&1 || true
grep -q 'Transfer finished with success' "$WORK/rdb.out" || { cat "$WORK/rdb.out"; die "redis-cli --rdb failed"; }
rdb_seconds=$(echo "$(date +%s.%N) - $started" | bc -l)

# the broker's backup, its RSS sampled throughout; the CPU time the broker and the store spend on it
STORE_PID=""
for pid in $(descendants "$PLATFORM_PID"); do
	if grep -qa s3proxy "/proc/$pid/cmdline" 2>/dev/null; then STORE_PID=$pid; fi
done
[ -n "$STORE_PID" ] || die "no S3Proxy process under the local platform ($PLATFORM_PID)"
broker_ticks=$(cpu_ticks "$BROKER_PID")
store_ticks=$(cpu_ticks "$STORE_PID")
rss_before=$(rss_kb "$BROKER_PID")
sample_rss "$BROKER_PID" "$WORK/rss.txt"
started=$(date +%s.%N)
OPERATION="$(osb "/v2/service_instances/$INSTANCE?accepts_incomplete=true" -f -X PATCH \
	-d "{\"service_id\":\"$SERVICE_ID\",\"parameters\":{\"backup\":\"now\"}}" | jq -r .operation)"
# polled every 100 ms by one curl, the JSON read by bash: the poll's own interval and process starts (two jq per poll
# at 200 ms before, up to half a second on a loaded machine) are not counted against the backup
poll_deadline=$((SECONDS + 600))
while true; do
	last="$(osb "/v2/service_instances/$INSTANCE/last_operation?operation=$OPERATION" -f)" || last=""
	[[ $last =~ \"state\"[[:space:]]*:[[:space:]]*\"(succeeded|failed)\" ]] && break
	[ "$SECONDS" -lt "$poll_deadline" ] || die "timed out after 600s waiting for backup $OPERATION to complete"
	sleep 0.1
done
succeeded_at=$(date +%s.%N)
backup_seconds=$(echo "$succeeded_at - $started" | bc -l)
broker_cpu=$(echo "($(cpu_ticks "$BROKER_PID") - $broker_ticks) / $(getconf CLK_TCK)" | bc -l)
store_cpu=$(echo "($(cpu_ticks "$STORE_PID") - $store_ticks) / $(getconf CLK_TCK)" | bc -l)
kill "$SAMPLER_PID" 2>/dev/null || true
rss_peak=$(peak_kb "$WORK/rss.txt")
size=$(osb "/v2/service_instances/$INSTANCE" -f | jq '.parameters.backups[0].size')

mb() { printf '%.1f' "$(echo "$size / 1048576 / $1" | bc -l)"; }
size_mb="$(printf '%.1f' "$(echo "$size / 1048576" | bc -l)")"
jq -e '.state == "succeeded"' <<<"$last" >/dev/null || die "the backup failed: $(jq -r .description <<<"$last")"
echo "backup: $(jq -r .description <<<"$last")"
printf 'redis-cli --rdb /dev/null: %s MB in %.2f s = %s MB/s\n' "$size_mb" "$rdb_seconds" "$(mb "$rdb_seconds")"
printf 'broker backup to S3: %s MB in %.2f s = %s MB/s; ratio %.2f (target >= 0.8)\n' \
	"$size_mb" "$backup_seconds" "$(mb "$backup_seconds")" \
	"$(echo "$rdb_seconds / $backup_seconds" | bc -l)"
# where the time went: the broker's steps (its log's timestamps), in seconds from the PATCH
timeline="PATCH 0.00"
while read -r stamp step; do
	timeline+=", $step $(printf '%.2f' "$(echo "$(date -d "$stamp" +%s.%N) - $started" | bc -l)")"
done < <(sed -nE 's/^([0-9TZ:.+-]+) .*(backup\.(begin|upload-started|first-bytes|streamed|parts-sent|stored|complete))( .*)?$/\1 \2/p' \
	"$WORK/broker.log")
echo "timeline: $timeline, the bench's poll sees succeeded $(printf '%.2f' "$backup_seconds")"
printf 'CPU during the backup: broker %.2f s, S3 store %.2f s\n' "$broker_cpu" "$store_cpu"
echo "broker rss_before_kb=$rss_before rss_peak_during_backup_kb=$rss_peak growth_mb=$(((rss_peak - rss_before) / 1024)) (target <= 64)"
# the store's secret reached the broker in its environment only: never in its log
if grep -qF "$S3_SECRET_ACCESS_KEY" "$WORK/broker.log"; then
	die "the broker's log holds the store's secret"
fi

# --- the restore (issue 26): a new instance from the backup just taken, timed from the request (whose checks read the
# object once for its hash) to last_operation succeeded (the fetch of the pre-signed URL, the hash checked on the node,
# Redis loading it, the app redeployed without the fetch and Redis loading it again from its volume)
RESTORED="$(cat /proc/sys/kernel/random/uuid)"
started=$(date +%s.%N)
osb "/v2/service_instances/$RESTORED?accepts_incomplete=true" -f -X PUT -d "{\"service_id\":\"$SERVICE_ID\",
	\"plan_id\":\"$PLAN_ID\",\"organization_guid\":\"bench-org\",\"space_guid\":\"bench-space\",
	\"parameters\":{\"restore_from\":{\"instance\":\"$INSTANCE\",\"backup\":\"latest\"}}}" >/dev/null
restored() {
	osb "/v2/service_instances/$RESTORED/last_operation" -f >"$WORK/restore.json"
	jq -e '.state != "failed"' "$WORK/restore.json" >/dev/null || die "the restore failed: $(jq -r .description "$WORK/restore.json")"
	jq -e '.state == "succeeded"' "$WORK/restore.json" >/dev/null
}
wait_until 900 "the restore into instance $RESTORED to succeed" restored
restore_seconds=$(echo "$(date +%s.%N) - $started" | bc -l)
osb "/v2/service_instances/$RESTORED/service_bindings/$(cat /proc/sys/kernel/random/uuid)" -f -X PUT \
	-d "{\"service_id\":\"$SERVICE_ID\",\"plan_id\":\"$PLAN_ID\",\"bind_resource\":{\"app_guid\":\"bench\"}}" |
	jq '.credentials' >"$WORK/restored.json"
chmod 600 "$WORK/restored.json"
source_keys=$(rcli dbsize)
restored_keys=$(REDISCLI_AUTH="$(jq -r .password "$WORK/restored.json")" redis-cli -h "$(jq -r .host "$WORK/restored.json")" \
	-p "$(jq -r .port "$WORK/restored.json")" --user "$(jq -r .username "$WORK/restored.json")" --no-auth-warning dbsize)
[ "$restored_keys" = "$source_keys" ] || die "the restored instance holds $restored_keys keys, the source $source_keys"
printf 'restore to succeeded: %.2f s for a %s MB backup (%s keys, as the source); %s\n' "$restore_seconds" "$size_mb" \
	"$restored_keys" "$(jq -r .description "$WORK/restore.json")"
# the pre-signed URL lives in Marathon's app definition until the redeploy, never in the broker's log
if grep -qE "X-Amz-Signature|$S3_SECRET_ACCESS_KEY" "$WORK/broker.log"; then
	die "the broker's log holds a pre-signed URL or the store's secret"
fi
