# Consul ACL policy of the token handed to bound apps (the broker's CONSUL_APP_TOKEN, credential consul_token).
# Apps only ask where their Redis runs: read of the redis-<instance-id> services and of the nodes they run on
# (Consul's health endpoint filters by both). No key rule at all: with default_policy "deny" an app reads no
# KV, so no broker record, whichever token it holds. Any app may look up any redis-* service, which reveals
# addresses, never a password.
service_prefix "redis-" {
  policy = "read"
}

# The Sentinels of an ha instance register as sntnl-<instance-id> (deployment/ServiceNames). Without this rule Consul
# filters them out of every answer without an error: an ha provision waits for "0 of 3 Sentinels" until it times
# out, and an app never finds its Sentinels.
service_prefix "sntnl-" {
  policy = "read"
}

node_prefix "" {
  policy = "read"
}
