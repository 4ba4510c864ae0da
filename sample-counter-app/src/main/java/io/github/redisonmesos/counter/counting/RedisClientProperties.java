package io.github.redisonmesos.counter.counting;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the app talks to Redis.
 *
 * @param timeout connect, read and pool-wait timeout: a request fails fast rather than
 * hanging when Redis is gone
 * @param maxConnections pool size; matches the web server's thread count so no request
 * waits for a connection
 */
@Validated
@ConfigurationProperties("counter.redis")
record RedisClientProperties(@DefaultValue("2s") @DurationMin(millis = 10) Duration timeout,
		@DefaultValue("32") @Min(1) int maxConnections) {
}
