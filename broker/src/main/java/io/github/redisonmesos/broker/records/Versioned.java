package io.github.redisonmesos.broker.records;

/**
 * A record as read, with the version that a check-and-set write of it must name.
 *
 * @param <T> the record type
 * @param value the record
 * @param version the store's version of the record when it was read (Consul's
 * ModifyIndex): a write naming it wins only if nobody wrote the record since
 */
public record Versioned<T>(T value, long version) {

}
