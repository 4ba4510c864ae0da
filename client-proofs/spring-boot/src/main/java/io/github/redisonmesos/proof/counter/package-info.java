/**
 * A counter kept in Redis with {@code StringRedisTemplate}.
 */
package io.github.redisonmesos.proof.counter;
