/**
 * Consul behind the broker's own small interface (KV, service health, the datacenter
 * name), and the adapters on it: the record ports in Consul KV and
 * {@code RedisDiscovery}.
 */
package io.github.redisonmesos.broker.consul;
