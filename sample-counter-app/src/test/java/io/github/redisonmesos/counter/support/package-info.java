/**
 * Test helpers: the counter app's backends, a real {@code redis-server} (test-support's)
 * with the app's users and Consul answers stubbed in the shape of the upstream fixtures.
 */
package io.github.redisonmesos.counter.support;
