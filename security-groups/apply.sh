#!/usr/bin/env bash
# Creates and binds the application security groups: redis-on-mesos lets CF apps reach Consul's HTTP API and
# the Redis tasks on the Mesos agents; redis-on-mesos-broker lets the broker reach Consul, Marathon and the
# Redis tasks (it creates and deletes each binding's Redis user). Nothing else of those networks.
#
# Before running: edit security-groups/redis-on-mesos.json and security-groups/broker.json so each
# "destination" names only your Consul subnet, your Marathon masters' subnet and your Mesos agents' subnet
# (never all of 10.0.0.0/8), and "ports" matches your agents' --resources=ports:[...] range (Mesos' default
# is 31000-32000) and Marathon's port.
#   BROKER_ORG=system BROKER_SPACE=brokers security-groups/apply.sh
set -euo pipefail
cd "$(dirname "$0")"

cf create-security-group redis-on-mesos redis-on-mesos.json \
	|| cf update-security-group redis-on-mesos redis-on-mesos.json

# Running apps everywhere (the counter app and every app bound to a Redis instance):
cf bind-running-security-group redis-on-mesos
# Or, narrower, only one org and space:
#   cf bind-security-group redis-on-mesos ORG --space SPACE --lifecycle running

# The broker only, in the org and space it is pushed to:
cf create-security-group redis-on-mesos-broker broker.json \
	|| cf update-security-group redis-on-mesos-broker broker.json
cf bind-security-group redis-on-mesos-broker "${BROKER_ORG:?set BROKER_ORG to the org of the broker}" \
	--space "${BROKER_SPACE:?set BROKER_SPACE to the space of the broker}" --lifecycle running

# Apps pick up a new running security group after a restart:
echo "security-groups: bound; restart bound apps and the broker (cf restart APP) to apply them"
