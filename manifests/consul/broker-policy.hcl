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

node_prefix "" {
  policy = "read"
}

agent_prefix "" {
  policy = "read"
}
