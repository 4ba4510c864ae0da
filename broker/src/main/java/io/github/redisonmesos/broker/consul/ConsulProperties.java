package io.github.redisonmesos.broker.consul;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the broker and the bound apps reach Consul, and where the broker keeps its
 * records.
 *
 * @param url Consul's HTTP API as the broker reaches it ({@code CONSUL_URL})
 * @param appUrl Consul's HTTP API as bound apps reach it ({@code CONSUL_APP_URL})
 * @param kvPrefix KV prefix of the broker's records, without a trailing slash
 * @param timeout connect and read timeout of each Consul call
 */
@Validated
@ConfigurationProperties("broker.consul")
public record ConsulProperties(@NotNull @DefaultValue("http://127.0.0.1:8500") URI url,
		@NotNull @DefaultValue("http://127.0.0.1:8500") URI appUrl,
		@NotBlank @DefaultValue("osb-redis") String kvPrefix, @NotNull @DefaultValue("5s") Duration timeout) {

}
