# Consul ACL policy of marathon-consul's token (its --consul-token). It registers the healthy tasks of every Marathon
# app with a consul label (the broker's redis-<instance-id> and sntnl-<instance-id> services among them) through the
# Consul agent on each task's host, and deregisters them: write on the services, read of the nodes and agents.
# Any app whose label names a service can be registered, so the policy cannot narrow the names further.
service_prefix "" {
  policy = "write"
}

node_prefix "" {
  policy = "read"
}

agent_prefix "" {
  policy = "read"
}
