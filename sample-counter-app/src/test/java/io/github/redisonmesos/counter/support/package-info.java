/**
 * Test helpers: a real {@code redis-server} process and Consul answers stubbed in the
 * shape of the upstream fixtures.
 */
package io.github.redisonmesos.counter.support;
