/**
 * The Consul HTTP API subset: catalog, health, KV with check-and-set, agent self, status,
 * blocking queries on one Raft-like index, and ACL enforcement (see the {@code acl}
 * package) when {@code local-platform.consul-acl} is {@code deny}.
 */
package io.github.redisonmesos.localplatform.consul;
