/**
 * Where to look for Redis: the bound service's credentials from {@code VCAP_SERVICES}, or
 * the demo's {@code CONSUL_*} variables when the app runs without a binding.
 */
package io.github.redisonmesos.counter.binding;
