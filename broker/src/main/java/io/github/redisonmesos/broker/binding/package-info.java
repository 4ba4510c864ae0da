/**
 * Service bindings: Redis credentials plus where to ask Consul, with the binding record
 * in Consul KV.
 */
package io.github.redisonmesos.broker.binding;
