package io.github.redisonmesos.broker.instance;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of asynchronous operations.
 *
 * @param timeout how long a provision, update or deprovision may take before
 * last_operation reports it failed
 * @param rememberRemoved how long a finished deprovision is remembered: polling its
 * last_operation with {@code operation=deprovision} answers {@code succeeded} for that
 * long (later, and without the token, 410 Gone)
 */
@Validated
@ConfigurationProperties("broker.provision")
public record ProvisionProperties(@NotNull @DefaultValue("10m") Duration timeout,
		@NotNull @DefaultValue("1h") Duration rememberRemoved) {

}
