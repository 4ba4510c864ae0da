package io.github.redisonmesos.broker.redis;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the broker reaches the Redis instances it administers.
 *
 * @param timeout connect and read timeout of each connection the broker opens to a Redis
 * to create or delete a user
 */
@Validated
@ConfigurationProperties("broker.redis")
record RedisProperties(@NotNull @DefaultValue("3s") Duration timeout) {

}
