package io.github.redisonmesos.broker.s3;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.github.redisonmesos.broker.backup.BackupStore;
import io.github.redisonmesos.broker.backup.BackupStoreException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link BackupStore} on an S3-compatible store: multipart uploads, the bucket created on
 * first use when missing.
 */
class S3BackupStore implements BackupStore {

	private final S3Client s3;

	private final S3Presigner presigner;

	private final String bucket;

	private final String where;

	private final AtomicBoolean bucketKnown = new AtomicBoolean();

	S3BackupStore(S3Client s3, S3Presigner presigner, String bucket, String endpoint) {
		this.s3 = s3;
		this.presigner = presigner;
		this.bucket = bucket;
		this.where = "bucket " + bucket + " at " + endpoint;
	}

	@Override
	public Upload start(String key) {
		String id = call("start an upload", () -> {
			ensureBucket();
			return this.s3.createMultipartUpload((request) -> request.bucket(this.bucket).key(key)).uploadId();
		});
		return new S3Upload(key, id);
	}

	/**
	 * Check that the store takes uploads with these credentials: start an upload under
	 * the prefix ({@code <prefix>.broker-check/<random>}), send one byte, abort it. Run
	 * at start-up, so a store that refuses is said then, and the client's upload path
	 * (the SDK's signer, marshallers, HTTP client) is loaded before the first backup
	 * instead of during it.
	 * @param prefix the objects' prefix ({@code BROKER_BACKUPS_PREFIX})
	 */
	void check(String prefix) {
		Upload upload = start(prefix + ".broker-check/" + UUID.randomUUID());
		try {
			upload.part(1, new byte[1], 1);
		}
		finally {
			upload.abort();
		}
	}

	private void ensureBucket() {
		if (this.bucketKnown.get()) {
			return;
		}
		try {
			this.s3.headBucket((request) -> request.bucket(this.bucket));
		}
		catch (NoSuchBucketException ex) {
			this.s3.createBucket((request) -> request.bucket(this.bucket));
		}
		catch (S3Exception ex) {
			if (ex.statusCode() != 404) {
				throw ex;
			}
			this.s3.createBucket((request) -> request.bucket(this.bucket));
		}
		this.bucketKnown.set(true);
	}

	@Override
	public void abort(String key, String uploadId) {
		call("abort an upload", () -> {
			try {
				this.s3.abortMultipartUpload((request) -> request.bucket(this.bucket).key(key).uploadId(uploadId));
			}
			catch (NoSuchUploadException ex) {
				// gone already
			}
			return null;
		});
	}

	@Override
	public void delete(String key) {
		call("delete an object", () -> this.s3.deleteObject((request) -> request.bucket(this.bucket).key(key)));
	}

	@Override
	public InputStream open(String key) {
		return call("read an object", () -> {
			try {
				return this.s3.getObject((request) -> request.bucket(this.bucket).key(key));
			}
			catch (NoSuchKeyException ex) {
				throw new BackupStoreException("The backup object " + key + " is missing from " + this.where, ex);
			}
		});
	}

	@Override
	public URI presignedGet(String key, Duration validity) {
		return call("sign a URL", () -> {
			try {
				return this.presigner
					.presignGetObject((request) -> request.signatureDuration(validity)
						.getObjectRequest((get) -> get.bucket(this.bucket).key(key)))
					.url()
					.toURI();
			}
			catch (URISyntaxException ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	private <T> T call(String what, Supplier<T> call) {
		try {
			return call.get();
		}
		catch (SdkException ex) {
			throw new BackupStoreException(
					"The backup store (" + this.where + ") did not " + what + ": " + ex.getMessage(), ex);
		}
	}

	private final class S3Upload implements Upload {

		private final String key;

		private final String id;

		// sent from several threads, completed in their numbers' order
		private final Map<Integer, CompletedPart> parts = new ConcurrentSkipListMap<>();

		S3Upload(String key, String id) {
			this.key = key;
			this.id = id;
		}

		@Override
		public String id() {
			return this.id;
		}

		@Override
		public void part(int number, byte[] data, int length) {
			String etag = call("take part " + number,
					() -> S3BackupStore.this.s3
						.uploadPart((request) -> request.bucket(S3BackupStore.this.bucket)
							.key(this.key)
							.uploadId(this.id)
							.partNumber(number)
							.contentLength((long) length), body(data, length))
						.eTag());
			this.parts.put(number, CompletedPart.builder().partNumber(number).eTag(etag).build());
		}

		@Override
		public void complete() {
			call("complete the object",
					() -> S3BackupStore.this.s3
						.completeMultipartUpload((request) -> request.bucket(S3BackupStore.this.bucket)
							.key(this.key)
							.uploadId(this.id)
							.multipartUpload(CompletedMultipartUpload.builder().parts(this.parts.values()).build())));
		}

		@Override
		public void abort() {
			S3BackupStore.this.abort(this.key, this.id);
		}

		// no copy of the part: the upload's one buffer is the only one in memory
		private static RequestBody body(byte[] data, int length) {
			return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, length), length,
					"application/octet-stream");
		}

	}

}
