package io.github.redisonmesos.broker.instance.volumes;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * What becomes of a deprovisioned instance's external volumes.
 *
 * @param url the libStorage API (REX-Ray's, e.g. {@code http://rexray.example:7979}) the
 * broker deletes volumes through ({@code BROKER_VOLUMES_URL}); empty: volumes are left to
 * the operator
 * @param service the libStorage service holding the volumes
 * ({@code BROKER_VOLUMES_SERVICE}, REX-Ray's {@code libstorage.service}); required with a
 * URL
 * @param token the JSON Web Token sent as {@code Authorization: Bearer} when libStorage
 * restricts access ({@code BROKER_VOLUMES_TOKEN}); empty: none
 * @param retention how long a removed instance's volumes are kept before they are deleted
 * ({@code BROKER_VOLUMES_RETENTION}); 0 deletes them as the deprovision finishes
 * @param timeout connect and read timeout of each libStorage call
 */
@Validated
@ConfigurationProperties("broker.volumes")
public record VolumesProperties(@NotNull @DefaultValue("") String url, @NotNull @DefaultValue("") String service,
		@NotNull @DefaultValue("") String token, @NotNull @DefaultValue("7d") Duration retention,
		@NotNull @DefaultValue("10s") Duration timeout) {

	/**
	 * The libStorage API, when one is set.
	 * @return its base URL
	 */
	public Optional<URI> libStorageUrl() {
		return StringUtils.hasText(this.url) ? Optional.of(URI.create(this.url.trim())) : Optional.empty();
	}

	@AssertTrue(message = "BROKER_VOLUMES_SERVICE (broker.volumes.service) must name the libStorage service "
			+ "holding the volumes (REX-Ray's libstorage.service) when BROKER_VOLUMES_URL is set")
	boolean isServiceSetWithUrl() {
		return !StringUtils.hasText(this.url) || StringUtils.hasText(this.service);
	}

	@AssertTrue(message = "BROKER_VOLUMES_RETENTION (broker.volumes.retention) must not be negative")
	boolean isRetentionPositiveOrZero() {
		return this.retention == null || !this.retention.isNegative();
	}

}
