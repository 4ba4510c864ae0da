package io.github.redisonmesos.counter.binding;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * The seed demo's variables, used when {@code VCAP_SERVICES} holds no Redis binding:
 * {@code CONSUL_HOST}, {@code CONSUL_PORT}, {@code CONSUL_DC} and {@code CONSUL_TOKEN}
 * bind here by Spring's relaxed binding.
 *
 * @param host Consul's host (a scheme such as {@code https://} may be included)
 * @param port Consul's HTTP port
 * @param dc the datacenter to query
 * @param token the Consul ACL token; unset (or blank) when Consul runs without ACLs
 */
@Validated
@ConfigurationProperties("consul")
record ConsulFallbackProperties(@DefaultValue("127.0.0.1") @NotBlank String host,
		@DefaultValue("8500") @Min(1) @Max(65535) int port, @DefaultValue("dc1") @NotBlank String dc, String token) {
}
