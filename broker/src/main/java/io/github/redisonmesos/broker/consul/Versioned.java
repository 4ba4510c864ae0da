package io.github.redisonmesos.broker.consul;

/**
 * A record read from Consul KV with the index that an update must name.
 *
 * @param <T> the record type
 * @param value the record
 * @param modifyIndex Consul's ModifyIndex, the {@code cas} of the next write
 */
public record Versioned<T>(T value, long modifyIndex) {

}
