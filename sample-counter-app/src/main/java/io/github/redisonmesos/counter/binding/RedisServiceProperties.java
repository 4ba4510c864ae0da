package io.github.redisonmesos.counter.binding;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotBlank;

/**
 * The Consul service name to look up without a binding ({@code REDIS_SERVICE}).
 *
 * @param service the Consul service name
 */
@Validated
@ConfigurationProperties("redis")
record RedisServiceProperties(@DefaultValue("redis") @NotBlank String service) {
}
