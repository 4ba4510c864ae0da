#!/usr/bin/env bash
# Creates and binds the application security group that lets CF apps reach Consul's HTTP API and the Redis
# tasks on the Mesos agents, and nothing else of those networks.
#
# Before running: edit security-groups/redis-on-mesos.json so each "destination" names only your Consul
# subnet and your Mesos agents' subnet (never all of 10.0.0.0/8), and "ports" matches your agents'
# --resources=ports:[...] range (Mesos' default is 31000-32000).
set -euo pipefail
cd "$(dirname "$0")"

cf create-security-group redis-on-mesos redis-on-mesos.json \
	|| cf update-security-group redis-on-mesos redis-on-mesos.json

# Running apps everywhere (the counter app and every app bound to a Redis instance):
cf bind-running-security-group redis-on-mesos
# Or, narrower, only one org and space:
#   cf bind-security-group redis-on-mesos ORG --space SPACE --lifecycle running

# Apps pick up a new running security group after a restart:
echo "security-groups: bound; restart bound apps (cf restart APP) to apply it"
