package io.github.redisonmesos.broker.s3;

import io.github.redisonmesos.broker.backup.BackupStore;
import io.github.redisonmesos.broker.backup.BackupsProperties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

/**
 * The S3 client, built once, when a bucket is configured ({@code BROKER_BACKUPS_BUCKET}).
 * The key id and secret come from {@code BROKER_BACKUPS_ACCESS_KEY_ID} /
 * {@code _SECRET_ACCESS_KEY}, or, without them, from the SDK's default chain (an instance
 * role on AWS).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${broker.backups.bucket:}'.isEmpty()")
class S3Configuration {

	private static final Logger logger = LoggerFactory.getLogger(S3Configuration.class);

	@Bean(destroyMethod = "close")
	S3Client backupsS3Client(BackupsProperties properties) {
		S3ClientBuilder builder = S3Client.builder()
			.region(Region.of(properties.region()))
			.credentialsProvider(credentials(properties))
			.forcePathStyle(properties.pathStyle())
			// a checksum only where S3 requires one: the SDK's default trailing checksums
			// are not read by every S3-compatible store (S3Proxy 2.7.0 fails the part)
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
			// every part goes to a store this client has already authenticated with: no
			// "Expect: 100-continue" round trip before each part's body
			// and each part sent as it is, with its Content-Length: no aws-chunked
			// encoding,
			// which over plain HTTP signs every 128 KB chunk of every part (a copy, a
			// SHA-256 and an HMAC per chunk in the broker, the chunk framing parsed again
			// in the store); the payload is still signed, with one SHA-256 of the part
			.serviceConfiguration((s3) -> s3.expectContinueEnabled(false).chunkedEncodingEnabled(false))
			.httpClient(UrlConnectionHttpClient.create());
		if (properties.endpoint() != null) {
			builder.endpointOverride(properties.endpoint());
		}
		return builder.build();
	}

	@Bean(destroyMethod = "close")
	S3Presigner backupsS3Presigner(BackupsProperties properties) {
		S3Presigner.Builder builder = S3Presigner.builder()
			.region(Region.of(properties.region()))
			.credentialsProvider(credentials(properties))
			.serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
				.pathStyleAccessEnabled(properties.pathStyle())
				.build());
		if (properties.endpoint() != null) {
			builder.endpointOverride(properties.endpoint());
		}
		return builder.build();
	}

	@Bean
	BackupStore s3BackupStore(S3Client backupsS3Client, S3Presigner backupsS3Presigner, BackupsProperties properties) {
		return new S3BackupStore(backupsS3Client, backupsS3Presigner, properties.bucket(),
				String.valueOf(properties.endpoint()));
	}

	// in the background: start-up does not wait for the store
	@Bean
	ApplicationListener<ApplicationReadyEvent> backupsStoreCheck(BackupStore s3BackupStore,
			BackupsProperties properties) {
		return (event) -> {
			Thread check = new Thread(() -> {
				try {
					((S3BackupStore) s3BackupStore).check(properties.prefix());
					logger.info("backups.store-checked bucket={} endpoint={}", properties.bucket(),
							properties.endpoint());
				}
				catch (RuntimeException ex) {
					logger.warn("backups.store-check-failed error=\"{}\"", ex.getMessage());
				}
			}, "backups-store-check");
			check.setDaemon(true);
			check.start();
		};
	}

	private static AwsCredentialsProvider credentials(BackupsProperties properties) {
		if (StringUtils.hasText(properties.accessKeyId())) {
			return StaticCredentialsProvider
				.create(AwsBasicCredentials.create(properties.accessKeyId(), properties.secretAccessKey()));
		}
		return DefaultCredentialsProvider.builder().build();
	}

}
