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
 */
@Validated
@ConfigurationProperties("broker.provision")
record ProvisionProperties(@NotNull @DefaultValue("10m") Duration timeout) {

}
