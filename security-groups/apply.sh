#!/usr/bin/env bash
# Creates and binds the application security groups: redis-on-mesos lets the CF apps of APP_SPACES reach Consul's
# HTTP API and the Redis tasks on the Mesos agents; redis-on-mesos-broker lets the broker reach Consul, Marathon and the
# Redis tasks (it creates and deletes each binding's Redis user). Nothing else of those networks.
#
# Before running: edit security-groups/redis-on-mesos.json and security-groups/broker.json so each
# "destination" names only your Consul subnet, your Marathon masters' subnet and your Mesos agents' subnet
# (never all of 10.0.0.0/8), and "ports" matches your agents' --resources=ports:[...] range (Mesos' default
# is 31000-32000) and Marathon's port.
#   BROKER_ORG=system-brokers BROKER_SPACE=redis-broker APP_SPACES="team-a/prod team-b/staging" security-groups/apply.sh
set -euo pipefail
cd "$(dirname "$0")"

cf create-security-group redis-on-mesos redis-on-mesos.json \
	|| cf update-security-group redis-on-mesos redis-on-mesos.json

# The apps that bind Redis: the ASG opens Consul and every Mesos task in the Redis port range, so it goes to the
# spaces that use Redis (APP_SPACES="org/space org/space"), or, with APP_SPACES=all, to every running app of every org.
case "${APP_SPACES:?set APP_SPACES to the org/space pairs whose apps bind Redis (or all)}" in
	all) cf bind-running-security-group redis-on-mesos ;;
	*)
		for org_space in $APP_SPACES; do
			cf bind-security-group redis-on-mesos "${org_space%%/*}" --space "${org_space#*/}" --lifecycle running
		done
		;;
esac

# The broker only, in the org and space it is pushed to:
cf create-security-group redis-on-mesos-broker broker.json \
	|| cf update-security-group redis-on-mesos-broker broker.json
cf bind-security-group redis-on-mesos-broker "${BROKER_ORG:?set BROKER_ORG to the org of the broker}" \
	--space "${BROKER_SPACE:?set BROKER_SPACE to the space of the broker}" --lifecycle running

# Apps pick up a new running security group after a restart:
echo "security-groups: bound; restart bound apps and the broker (cf restart APP) to apply them"
