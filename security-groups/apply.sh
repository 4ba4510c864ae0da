#!/usr/bin/env bash
# Creates (or updates) and binds the application security groups: redis-on-mesos lets the CF apps of APP_SPACES reach
# Consul's HTTP API and the Redis tasks on the Mesos agents; redis-on-mesos-broker lets the broker reach Consul,
# Marathon, the Redis tasks (it creates and deletes each binding's Redis user) and REX-Ray's libStorage API (it deletes
# the volumes of deprovisioned instances). Nothing else of those networks.
#
# Before running: edit security-groups/redis-on-mesos.json and security-groups/broker.json so each
# "destination" names only your Consul subnet, your Marathon masters' subnet, your Mesos agents' subnet and your
# libStorage server (never all of 10.0.0.0/8), and "ports" matches your broker-vars.yml: the Redis port range
# (broker-marathon-redis-ports, 33000-33999 in manifests/broker/vars-example.yml), Consul's port (8501, HTTPS, in the
# example's consul-url), Marathon's port (8443 in marathon-url) and libStorage's (REX-Ray's default 7979).
# Run it from anywhere, logged in as a CF admin, after the broker's org and space exist (README, Deploying, step 6):
#   BROKER_ORG=system-brokers BROKER_SPACE=redis-broker APP_SPACES="team-a/prod team-b/staging" security-groups/apply.sh
# Running it again applies edited rules: an existing group is updated, not created again.
set -euo pipefail
cd "$(dirname "$0")"

: "${BROKER_ORG:?set BROKER_ORG to the org of the broker}"
: "${BROKER_SPACE:?set BROKER_SPACE to the space of the broker}"
: "${APP_SPACES:?set APP_SPACES to the org/space pairs whose apps bind Redis (or all)}"

# upsert <group> <rules file>: cf CLI v7/v8 create-security-group on an existing name only warns and exits 0, so the
# rules of an existing group are replaced with update-security-group instead
upsert() {
	if cf security-group "$1" >/dev/null 2>&1; then
		cf update-security-group "$1" "$2"
	else
		cf create-security-group "$1" "$2"
	fi
}

upsert redis-on-mesos redis-on-mesos.json

# The apps that bind Redis: the ASG opens Consul and every Mesos task in the Redis port range, so it goes to the
# spaces that use Redis (APP_SPACES="org/space org/space"), or, with APP_SPACES=all, to every running app of every org.
case "$APP_SPACES" in
	all) cf bind-running-security-group redis-on-mesos ;;
	*)
		for org_space in $APP_SPACES; do
			cf bind-security-group redis-on-mesos "${org_space%%/*}" --space "${org_space#*/}" --lifecycle running
		done
		;;
esac

# The broker only, in the org and space it is pushed to:
upsert redis-on-mesos-broker broker.json
cf bind-security-group redis-on-mesos-broker "$BROKER_ORG" --space "$BROKER_SPACE" --lifecycle running

# Apps pick up a new running security group after a restart:
echo "security-groups: created or updated, and bound; restart bound apps and the broker (cf restart APP) to apply them"
