package io.github.redisonmesos.localplatform;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import io.github.redisonmesos.testsupport.EndToEnd;
import io.github.redisonmesos.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The local S3 store is S3Proxy, a real S3 server: the AWS SDK's multipart upload works
 * against it, objects survive a restart of the platform, a wrong secret is refused, and
 * the secret is on no command line.
 */
@EndToEnd
class S3StoreTests {

	private static final String KEY_ID = "test-key-id";

	private static final String SECRET = "test-secret-0f3c9a";

	@TempDir
	Path temp;

	@Test
	void multipartObjectSurvivesARestartAndAWrongSecretIsRefused() throws Exception {
		int port = FreePorts.next();
		Path stateDir = this.temp.resolve("state");
		byte[] firstPart = new byte[5 * 1024 * 1024];
		firstPart[0] = 1;
		byte[] lastPart = "the end".getBytes(StandardCharsets.UTF_8);
		try (RunningPlatform platform = start(stateDir, port); S3Client s3 = client(port, SECRET)) {
			s3.createBucket((bucket) -> bucket.bucket("backups"));
			String upload = s3.createMultipartUpload((request) -> request.bucket("backups").key("a/b.rdb")).uploadId();
			String etag1 = s3
				.uploadPart((part) -> part.bucket("backups").key("a/b.rdb").uploadId(upload).partNumber(1),
						RequestBody.fromBytes(firstPart))
				.eTag();
			String etag2 = s3
				.uploadPart((part) -> part.bucket("backups").key("a/b.rdb").uploadId(upload).partNumber(2),
						RequestBody.fromBytes(lastPart))
				.eTag();
			s3.completeMultipartUpload((request) -> request.bucket("backups")
				.key("a/b.rdb")
				.uploadId(upload)
				.multipartUpload(CompletedMultipartUpload.builder()
					.parts(CompletedPart.builder().partNumber(1).eTag(etag1).build(),
							CompletedPart.builder().partNumber(2).eTag(etag2).build())
					.build()));

			Path config = stateDir.resolve("s3/s3proxy.properties");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
			long pid = Long.parseLong(Files.readString(stateDir.resolve("s3/s3proxy.pid")).trim());
			assertThat(ProcessHandle.of(pid).orElseThrow().info().commandLine().orElseThrow()).contains("s3proxy")
				.doesNotContain(SECRET);
		}
		try (RunningPlatform platform = start(stateDir, port); S3Client s3 = client(port, SECRET)) {
			byte[] read = s3.getObjectAsBytes((request) -> request.bucket("backups").key("a/b.rdb")).asByteArray();
			assertThat(read).hasSize(firstPart.length + lastPart.length);
			assertThat(read[0]).isEqualTo((byte) 1);
			try (S3Client wrong = client(port, "not-the-secret")) {
				assertThatExceptionOfType(S3Exception.class)
					.isThrownBy(() -> wrong.listObjectsV2((request) -> request.bucket("backups")))
					.satisfies((ex) -> assertThat(ex.statusCode()).isEqualTo(403));
			}
		}
	}

	private static RunningPlatform start(Path stateDir, int port) {
		return RunningPlatform.start(
				stateDir, List
					.of("--local-platform.s3.port=" + port, "--local-platform.s3.access-key-id=" + KEY_ID,
							"--local-platform.s3.secret-access-key=" + SECRET)
					.toArray(String[]::new));
	}

	private static S3Client client(int port, String secret) {
		return S3Client.builder()
			.endpointOverride(URI.create("http://127.0.0.1:" + port))
			.region(Region.US_EAST_1)
			.forcePathStyle(true)
			// as the broker's client: a checksum only where S3 requires one (S3Proxy does
			// not
			// read the SDK's default trailing checksums)
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, secret)))
			.httpClient(UrlConnectionHttpClient.create())
			.build();
	}

}
