/**
 * Where Redis runs now: a Consul blocking-query watch on the passing instances of the
 * bound service, so serving a request never waits for Consul.
 */
package io.github.redisonmesos.counter.discovery;
