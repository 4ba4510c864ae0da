package io.github.redisonmesos.localplatform.s3;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the local S3 store ({@code LOCAL_PLATFORM_S3_PORT},
 * {@code LOCAL_PLATFORM_S3_ACCESS_KEY_ID}, {@code LOCAL_PLATFORM_S3_SECRET_ACCESS_KEY}
 * bind here).
 *
 * @param enabled whether the platform runs the store
 * @param port the store's port on 127.0.0.1 (0 picks a free port)
 * @param accessKeyId the one key id the store accepts
 * @param secretAccessKey its secret
 * @param jar S3Proxy's self-contained jar; empty: {@code s3proxy/s3proxy.jar} in the
 * build directory the platform runs from
 * @param startupTimeout how long the store may take to listen
 */
@Validated
@ConfigurationProperties("local-platform.s3")
record S3Properties(@DefaultValue("true") boolean enabled, @DefaultValue("9000") @Min(0) @Max(65535) int port,
		@DefaultValue("local-platform") @NotBlank String accessKeyId,
		@DefaultValue("local-platform-secret") @NotBlank String secretAccessKey, Path jar,
		@DefaultValue("60s") @NotNull Duration startupTimeout) {

	@Override
	public String toString() {
		return "S3Properties[enabled=" + this.enabled + ", port=" + this.port + ", accessKeyId=" + this.accessKeyId
				+ ", jar=" + this.jar + "]";
	}

}
