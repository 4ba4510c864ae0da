/**
 * Redis as its admin user: each instance's ACL users ({@code RedisAcl}), and the nodes
 * and Sentinels of an HA instance ({@code RedisHaAdmin}, one class a job: quorum,
 * replication state, user sync, switch-over, gone addresses).
 */
package io.github.redisonmesos.broker.redis;
