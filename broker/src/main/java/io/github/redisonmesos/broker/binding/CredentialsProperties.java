package io.github.redisonmesos.broker.binding;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the {@code host} of a binding's credentials (and so its {@code uri}) names.
 *
 * @param hostStyle {@code address} (the address Consul lists when the binding is made) or
 * {@code consul-dns} ({@code redis-<instance-id>.service.<consul-domain>}, which Consul's
 * DNS answers wherever Redis runs) ({@code BROKER_CREDENTIALS_HOST_STYLE})
 * @param consulDomain Consul's DNS domain ({@code BROKER_CREDENTIALS_CONSUL_DOMAIN})
 */
@Validated
@ConfigurationProperties("broker.credentials")
public record CredentialsProperties(@NotNull @DefaultValue("address") HostStyle hostStyle,
		@NotNull @Pattern(regexp = "[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*",
				message = "must be a DNS domain such as consul") @DefaultValue("consul") String consulDomain) {

	/**
	 * How the host of the credentials is written.
	 */
	public enum HostStyle {

		/** The address Consul lists when the binding is made. */
		ADDRESS,
		/** The instance's Consul DNS name. */
		CONSUL_DNS

	}

}
