# Consul ACL policy of the broker's token (CONSUL_TOKEN).
# The broker keeps its records under its KV prefix (broker.consul.kv-prefix, default osb-redis), reads where
# each instance's Redis runs (the redis-<instance-id> services and the nodes they run on) and asks its agent
# for the datacenter. Nothing else.
key_prefix "osb-redis/" {
  policy = "write"
}

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

agent_prefix "" {
  policy = "read"
}
