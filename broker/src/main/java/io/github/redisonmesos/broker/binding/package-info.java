/**
 * Service bindings: a Redis user per binding and credentials that say where to ask
 * Consul, with the ports this feature owns: {@code BindingRecords} (the binding records)
 * and {@code RedisUsers} (a binding's Redis user).
 */
package io.github.redisonmesos.broker.binding;
