/**
 * Where Redis runs, in the broker's terms: deploy, inspect and remove an instance's Redis
 * ({@link io.github.redisonmesos.broker.deployment.RedisDeployer}, Marathon behind it)
 * and find where it listens
 * ({@link io.github.redisonmesos.broker.deployment.RedisDiscovery}, Consul behind it).
 */
package io.github.redisonmesos.broker.deployment;
