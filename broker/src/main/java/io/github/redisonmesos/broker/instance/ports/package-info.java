/**
 * Each instance's own host ports, claimed from {@code broker.marathon.redis-ports} in
 * Consul KV and released when it is removed.
 */
package io.github.redisonmesos.broker.instance.ports;
