package io.github.redisonmesos.broker.maintenance;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The maintenance version of the node templates the broker deploys
 * ({@code broker.maintenance}): every plan advertises it as {@code maintenance_info}.
 *
 * @param version the version of the templates and image, semver
 * ({@code BROKER_MAINTENANCE_VERSION}); raise it with every change of either
 * @param description what an upgrade to this version changes, as {@code cf services}
 * shows it ({@code BROKER_MAINTENANCE_DESCRIPTION}); empty: the images and the templates'
 * digest
 */
@Validated
@ConfigurationProperties("broker.maintenance")
public record MaintenanceProperties(
		@NotBlank @Pattern(regexp = MaintenanceVersion.PATTERN,
				message = "must be a semantic version such as 1.1.0") @DefaultValue("1.0.0") String version,
		@DefaultValue("") String description) {

}
