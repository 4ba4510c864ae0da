/**
 * Consul behind the broker's own small interface: KV records, service health and the
 * datacenter name.
 */
package io.github.redisonmesos.broker.consul;
