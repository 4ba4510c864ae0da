/**
 * Counting through failovers of an {@code ha} instance: the app's Lettuce through
 * Spring's Sentinel settings, and Jedis' {@code JedisSentineled} as a plain main.
 */
package io.github.redisonmesos.proof.failover;
