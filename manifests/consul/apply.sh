#!/usr/bin/env bash
# Creates the Consul ACL policies and tokens of the broker and of bound apps, on a Consul whose ACLs are on with
# default_policy "deny" (acl { enabled = true, default_policy = "deny" } on every agent and server).
#
#   CONSUL_HTTP_ADDR=https://consul.example:8500 CONSUL_HTTP_TOKEN=<management token> manifests/consul/apply.sh
#
# Run it before default_policy is "deny" (or right after turning ACLs on): marathon-consul needs its token first, or
# nothing gets registered and every provision waits for Consul. It prints three SecretIDs: the broker's
# CONSUL_TOKEN and CONSUL_APP_TOKEN (put them in the vars file of cf push: --vars-file), and MARATHON_CONSUL_TOKEN,
# which goes into manifests/marathon/marathon-consul.json's --consul-token (README, Deploying). Check also that the
# anonymous token's policy grants no key read.
set -euo pipefail
cd "$(dirname "$0")"

for tool in consul jq; do
	command -v "$tool" >/dev/null || { echo "apply.sh: $tool is needed" >&2; exit 1; }
done

policy() {
	# policy <name> <file> <description>: create it, or update its rules when it exists
	if consul acl policy read -name "$1" >/dev/null 2>&1; then
		consul acl policy update -name "$1" -rules "@$2" -description "$3" >/dev/null
	else
		consul acl policy create -name "$1" -rules "@$2" -description "$3" >/dev/null
	fi
}

policy osb-redis-broker broker-policy.hcl "Redis broker: its KV records, redis-* services, agent read"
policy osb-redis-apps apps-policy.hcl "Apps bound to Redis: read redis-* services only, no KV"
policy marathon-consul marathon-consul-policy.hcl "marathon-consul: registers Marathon tasks as services"

broker_token=$(consul acl token create -description "osb-redis broker" -policy-name osb-redis-broker -format json |
	jq -r .SecretID)
apps_token=$(consul acl token create -description "osb-redis bound apps" -policy-name osb-redis-apps -format json |
	jq -r .SecretID)
marathon_consul_token=$(consul acl token create -description "marathon-consul" -policy-name marathon-consul \
	-format json | jq -r .SecretID)
echo "CONSUL_TOKEN=$broker_token"
echo "CONSUL_APP_TOKEN=$apps_token"
echo "MARATHON_CONSUL_TOKEN=$marathon_consul_token"
