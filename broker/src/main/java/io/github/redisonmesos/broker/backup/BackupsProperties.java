package io.github.redisonmesos.broker.backup;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where backups go and how often ({@code BROKER_BACKUPS_*}). Without a bucket no store is
 * configured: the broker says so once at start-up and takes no backups.
 *
 * @param endpoint the S3 endpoint (MinIO, Ceph RGW, the local platform's S3Proxy); empty:
 * AWS S3 of the region
 * @param region the region requests are signed for
 * @param bucket the bucket; created on first use when missing
 * @param pathStyle path-style requests ({@code <endpoint>/<bucket>/<key>}), as most
 * S3-compatible stores want
 * @param accessKeyId the store's access key id
 * @param secretAccessKey its secret: never logged, never in Marathon or KV
 * @param prefix the prefix of every object key
 * @param interval how often each instance is backed up
 * @param keep how many complete backups of an instance are kept
 * @param concurrency how many backups one broker streams at once
 * @param partSize the size of each multipart upload part; a backup holds two (one
 * filling, one sent)
 * @param tick how often the schedule looks for instances due and for stale backups
 * @param staleAfter a backup still {@code running} this long after it started, on no
 * broker, is failed and its upload aborted (its broker stopped)
 */
@Validated
@ConfigurationProperties("broker.backups")
public record BackupsProperties(URI endpoint, @DefaultValue("us-east-1") @NotBlank String region, String bucket,
		@DefaultValue("false") boolean pathStyle, String accessKeyId, String secretAccessKey,
		@DefaultValue("osb-redis/") @NotNull String prefix, @DefaultValue("24h") @NotNull Duration interval,
		@DefaultValue("7") @Min(1) int keep, @DefaultValue("2") @Min(1) int concurrency,
		@DefaultValue("8MB") @NotNull DataSize partSize, @DefaultValue("1m") @NotNull Duration tick,
		@DefaultValue("1h") @NotNull Duration staleAfter) {

	/**
	 * Whether a store is configured.
	 * @return true when a bucket is set
	 */
	public boolean configured() {
		return StringUtils.hasText(this.bucket);
	}

	@Override
	public String toString() {
		// the secret never reaches a log line
		return "BackupsProperties[endpoint=" + this.endpoint + ", region=" + this.region + ", bucket=" + this.bucket
				+ ", pathStyle=" + this.pathStyle + ", prefix=" + this.prefix + ", interval=" + this.interval
				+ ", keep=" + this.keep + ", concurrency=" + this.concurrency + "]";
	}

}
