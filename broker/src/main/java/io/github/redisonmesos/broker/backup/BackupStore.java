package io.github.redisonmesos.broker.backup;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;

/**
 * The object store backups go to (an S3-compatible store behind it). Failures surface as
 * {@link BackupStoreException} with a sentence an operator can act on.
 */
public interface BackupStore {

	/**
	 * Start a multipart upload.
	 * @param key the object key
	 * @return the upload, to send parts to and then complete or abort
	 */
	Upload start(String key);

	/**
	 * Abort an upload that a broker that died left open; an upload that is gone is not an
	 * error.
	 * @param key the object key
	 * @param uploadId the upload's id
	 */
	void abort(String key, String uploadId);

	/**
	 * Delete an object; a missing object is not an error.
	 * @param key the object key
	 */
	void delete(String key);

	/**
	 * Read an object.
	 * @param key the object key
	 * @return its content; the caller closes it
	 */
	InputStream open(String key);

	/**
	 * A URL that reads one object, without credentials, for a short time.
	 * @param key the object key
	 * @param validity how long it reads
	 * @return the pre-signed URL
	 */
	URI presignedGet(String key, Duration validity);

	/**
	 * One multipart upload in progress.
	 */
	interface Upload {

		/**
		 * The store's id of the upload, recorded so that another broker can abort it.
		 * @return the upload id
		 */
		String id();

		/**
		 * Send a part; every part but the last must be at least 5 MiB. Parts may be sent
		 * at once, from several threads, in any order: the object is made of them in
		 * their numbers' order.
		 * @param number the part's number, from 1
		 * @param data the bytes
		 * @param length how many of them
		 */
		void part(int number, byte[] data, int length);

		/**
		 * Complete the object from the parts sent.
		 */
		void complete();

		/**
		 * Abort: the store drops the parts and lists no object.
		 */
		void abort();

	}

}
