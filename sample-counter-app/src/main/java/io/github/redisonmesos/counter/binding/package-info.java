/**
 * Where to look for Redis, and with which Consul token: the bound service's credentials
 * from {@code VCAP_SERVICES}, or the demo's {@code CONSUL_*} variables when the app runs
 * without a binding.
 */
package io.github.redisonmesos.counter.binding;
