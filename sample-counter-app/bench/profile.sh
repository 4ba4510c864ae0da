#!/usr/bin/env bash
# Where the page's time goes: the counter app with the manifest's JAVA_OPTS under wrk on GET / (or another
# path), recorded by Java Flight Recorder (execution samples every 10 ms, settings=profile), then summed up:
# the share of samples that run inside each part of the request path (inclusive: a sample inside Thymeleaf
# called from Spring MVC counts for both), and the hottest frames (self). The recording is kept for JDK Mission
# Control or any JFR flame-graph tool.
#
# Needs: ./mvnw -B -ntp -pl local-platform,sample-counter-app package -DskipTests; wrk, curl, jq, redis-cli, jfr.
# Usage: sample-counter-app/bench/profile.sh [path, /] [duration, 20s] [connections, 16] [recording, /tmp/counter-page.jfr]
#   (scripts/test runs it in a smoke size: WARMUP=1s sample-counter-app/bench/profile.sh / 2s 4 <recording>)
#   WARMUP=5s ... the unrecorded warm-up (default 10s)
set -euo pipefail
# shellcheck source=sample-counter-app/bench/lib.sh
source "$(dirname "$0")/lib.sh"

PATH_UNDER_TEST="${1:-/}"
DURATION="${2:-20s}"
CONNECTIONS="${3:-16}"
RECORDING="${4:-/tmp/counter-page.jfr}"
WARMUP="${WARMUP:-10s}"
require jfr jcmd

start_platform_with_redis
start_app
print_setup
echo "--- warm-up: wrk -t2 -c$CONNECTIONS -d$WARMUP (JIT), not recorded"
run_and_wait /dev/null wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$APP$PATH_UNDER_TEST"
jcmd "$APP_PID" JFR.start name=bench settings=profile >/dev/null
echo "--- recording: wrk -t2 -c$CONNECTIONS -d$DURATION $APP$PATH_UNDER_TEST"
run_and_wait "$WORK/wrk.txt" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$APP$PATH_UNDER_TEST"
grep -E 'Requests/sec|requests in' "$WORK/wrk.txt"
jcmd "$APP_PID" JFR.stop name=bench filename="$RECORDING" >/dev/null
echo "recording: $RECORDING"

jfr print --events jdk.ExecutionSample --stack-depth 128 "$RECORDING" >"$WORK/samples.txt"
# one sample: "jdk.ExecutionSample {", a stackTrace of "  frame line: N" lines, "}"; the top frame comes first
awk '
	function part(frame) {
		if (frame ~ /^org\.thymeleaf\.|^ognl\.|^org\.attoparser\./) return "thymeleaf (template rendering)"
		if (frame ~ /^org\.springframework\.expression\./) return "spring-el (expressions in the template)"
		if (frame ~ /^com\.fasterxml\.jackson\./) return "jackson (JSON)"
		if (frame ~ /^io\.micrometer\.|Observation/) return "micrometer (observation, metrics)"
		if (frame ~ /^ch\.qos\.logback\.|^org\.slf4j\.|^org\.apache\.logging\./) return "logging"
		if (frame ~ /^redis\.clients\.|^org\.apache\.commons\.pool2\./) return "jedis (Redis client, pool)"
		if (frame ~ /^io\.github\.redisonmesos\./) return "the app'"'"'s own code"
		if (frame ~ /^org\.apache\.(catalina|coyote|tomcat)\./) return "tomcat"
		if (frame ~ /^org\.springframework\.web\.|^org\.springframework\.boot\.web\./) return "spring web (MVC, filters)"
		if (frame ~ /^java\.util\.UUID|^sun\.security\.provider\.|^java\.security\./) return "secure random (UUID)"
		return ""
	}
	/^jdk\.ExecutionSample/ { in_sample = 1; n_frames = 0; owner = ""; delete seen; next }
	in_sample && /line:/ {
		frame = $0; sub(/^[ \t]+/, "", frame); sub(/[ \t]+line:.*$/, "", frame)
		if (n_frames == 0) self[frame]++
		n_frames++
		p = part(frame)
		if (p != "" && owner == "") owner = p
		if (p != "" && !(p in seen)) { seen[p] = 1; inclusive[p]++ }
		next
	}
	in_sample && /^}/ { in_sample = 0; total++; own[(owner == "") ? "other (JDK, threads, GC)" : owner]++ }
	END {
		if (total == 0) { print "profile.sh: the recording holds no execution samples (a longer duration?)" > "/dev/stderr"; exit 1 }
		printf "--- %d execution samples; share of samples spent in each part itself (the innermost part on the stack, JDK calls included)\n", total
		for (p in own) printf "%5.1f%%  %s\n", 100 * own[p] / total, p | "sort -rn"
		close("sort -rn")
		print "--- share of samples with each part anywhere on the stack (inclusive: filters wrap the whole request)"
		for (p in inclusive) printf "%5.1f%%  %s\n", 100 * inclusive[p] / total, p | "sort -rn"
		close("sort -rn")
		print "--- hottest frames (self)"
		for (f in self) printf "%5.1f%%  %s\n", 100 * self[f] / total, f | "sort -rn | head -15"
		close("sort -rn | head -15")
	}' "$WORK/samples.txt"
check_app_log
