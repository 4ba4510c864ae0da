#!/usr/bin/env bash
# Creates (or updates) the Consul ACL policies of the broker, of bound apps and of marathon-consul, and their tokens,
# through Consul's HTTP API (curl and jq; no consul CLI), on a Consul whose ACLs are on with default_policy "deny"
# (acl { enabled = true, default_policy = "deny" } on every agent and server).
#
#   umask 077
#   CONSUL_HTTP_ADDR=https://consul.example:8501 CONSUL_HTTP_TOKEN=<management token> \
#     [CONSUL_CACERT=ca.pem] manifests/consul/apply.sh consul-tokens.yml
#
# The tokens go into the file named by the argument (mode 600), as cf vars: consul-token (the broker's CONSUL_TOKEN),
# consul-app-token (CONSUL_APP_TOKEN, handed to bound apps) and marathon-consul-token (marathon-consul's
# --consul-token in manifests/marathon/marathon-consul.json). Pass the file to cf push as a second --vars-file, or
# name the broker's vars file itself: other lines of the file are kept. The script prints token names and
# AccessorIDs only, never a SecretID, and the management token reaches curl through its standard input, never a
# command line.
#
# Safe to run again: policies are updated by name, and a token already in the file that Consul still knows with its
# policy is kept (checked with GET /v1/acl/token/self); only missing or invalid ones are created. Run it before
# default_policy is "deny" (or right after turning ACLs on): marathon-consul needs its token first, or nothing gets
# registered and every provision waits for Consul. Check also that the anonymous token's policy grants no key read.
set -euo pipefail

usage() { echo "usage: CONSUL_HTTP_ADDR=... CONSUL_HTTP_TOKEN=... $0 <output vars file>" >&2; exit 2; }
[ "$#" -eq 1 ] || usage
out=$1
: "${CONSUL_HTTP_ADDR:?set CONSUL_HTTP_ADDR to the address of Consul, e.g. https://consul.example:8501}"
: "${CONSUL_HTTP_TOKEN:?set CONSUL_HTTP_TOKEN to a management token}"
for tool in curl jq; do
	command -v "$tool" >/dev/null || { echo "apply.sh: $tool is needed" >&2; exit 1; }
done
here=$(cd "$(dirname "$0")" && pwd)

addr=${CONSUL_HTTP_ADDR%/}
case "$addr" in
http://* | https://*) ;;
*) addr="http://$addr" ;;
esac
cacert=()
if [ -n "${CONSUL_CACERT:-}" ]; then
	cacert=(--cacert "$CONSUL_CACERT")
fi

# consul <token> <method> <path> [body]: the answer's body on stdout, then a line with the HTTP status. The token goes
# to curl as a header in a config read from stdin (printf is a builtin: no process shows it).
consul() {
	local token=$1 method=$2 path=$3 body=${4-}
	local data=()
	if [ -n "$body" ]; then
		data=(--data-binary "$body")
	fi
	printf 'header = "X-Consul-Token: %s"\n' "${token//\"/\\\"}" |
		curl --config - --silent --show-error "${cacert[@]}" --request "$method" "${data[@]}" \
			--write-out '\n%{http_code}' "$addr$path"
}

# call <method> <path> [body]: with the management token; the body of a 200 on stdout, anything else fails.
call() {
	local answer status
	answer=$(consul "$CONSUL_HTTP_TOKEN" "$@")
	status=${answer##*$'\n'}
	if [ "$status" != 200 ]; then
		echo "apply.sh: $1 $2 answered $status: ${answer%$'\n'*}" >&2
		exit 1
	fi
	printf '%s\n' "${answer%$'\n'*}"
}

policy() {
	# policy <name> <file> <description>: create it, or update its rules when a policy of that name exists
	local id body
	id=$(call GET /v1/acl/policies | jq -r --arg name "$1" '.[] | select(.Name == $name) | .ID')
	body=$(jq -n --arg name "$1" --arg description "$3" --rawfile rules "$here/$2" \
		'{Name: $name, Description: $description, Rules: $rules}')
	if [ -n "$id" ]; then
		call PUT "/v1/acl/policy/$id" "$body" >/dev/null
		echo "policy $1: updated (ID $id)"
	else
		id=$(call PUT /v1/acl/policy "$body" | jq -r .ID)
		echo "policy $1: created (ID $id)"
	fi
}

# The value of a key in the vars file, without quotes; empty when absent.
stored() {
	[ -f "$out" ] || return 0
	sed -n "s/^$1:[[:space:]]*\"\{0,1\}\([^\"]*\)\"\{0,1\}[[:space:]]*$/\1/p" "$out" | head -n 1
}

# token <vars key> <policy name> <description>: keep the token in the file when Consul knows it with that policy,
# else create one; its SecretID goes to the file only.
token() {
	local key=$1 policy_name=$2 description=$3 secret answer status accessor body
	secret=$(stored "$key")
	if [ -n "$secret" ]; then
		answer=$(consul "$secret" GET /v1/acl/token/self)
		status=${answer##*$'\n'}
		if [ "$status" = 200 ] &&
			printf '%s' "${answer%$'\n'*}" | jq -e --arg p "$policy_name" 'any(.Policies[]?; .Name == $p)' >/dev/null; then
			accessor=$(printf '%s' "${answer%$'\n'*}" | jq -r .AccessorID)
			echo "token $key: kept (AccessorID $accessor)"
			return
		fi
	fi
	body=$(jq -n --arg description "$description" --arg policy "$policy_name" \
		'{Description: $description, Policies: [{Name: $policy}]}')
	answer=$(call PUT /v1/acl/token "$body")
	accessor=$(printf '%s' "$answer" | jq -r .AccessorID)
	secret=$(printf '%s' "$answer" | jq -r .SecretID)
	save "$key" "$secret"
	echo "token $key: created (AccessorID $accessor)"
}

# save <key> <value>: replace the key's line in the output file (mode 600), keeping every other line.
save() {
	local tmp
	tmp=$(mktemp "$out.XXXXXX")
	chmod 600 "$tmp"
	if [ -f "$out" ]; then
		grep -v "^$1:" "$out" >"$tmp" || true
	fi
	printf '%s: "%s"\n' "$1" "$2" >>"$tmp"
	mv "$tmp" "$out"
}

policy osb-redis-broker broker-policy.hcl "Redis broker: its KV records, redis-* and sntnl-* services, agent read"
policy osb-redis-apps apps-policy.hcl "Apps bound to Redis: read redis-* and sntnl-* services only, no KV"
policy marathon-consul marathon-consul-policy.hcl "marathon-consul: registers Marathon tasks as services"

token consul-token osb-redis-broker "osb-redis broker"
token consul-app-token osb-redis-apps "osb-redis bound apps"
token marathon-consul-token marathon-consul "marathon-consul"
if [ -f "$out" ]; then
	chmod 600 "$out"
fi
echo "tokens in $out (mode 600): consul-token, consul-app-token, marathon-consul-token"
