/**
 * The Consul HTTP API subset: catalog, health, KV with check-and-set, agent self, status,
 * and blocking queries on one Raft-like index.
 */
package io.github.redisonmesos.localplatform.consul;
