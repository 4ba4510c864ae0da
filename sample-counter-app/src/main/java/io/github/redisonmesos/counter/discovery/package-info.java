/**
 * Where Redis runs now: a watch on an {@code EndpointLookup}, Consul's passing instances
 * of the bound service, or for an {@code ha} binding the primary its Sentinels name, so
 * serving a request never waits for either.
 */
package io.github.redisonmesos.counter.discovery;
