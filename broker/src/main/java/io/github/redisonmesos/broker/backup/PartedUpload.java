package io.github.redisonmesos.broker.backup;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The bytes of one backup on their way into a multipart upload: two part buffers in
 * memory whatever the dataset's size, one filling from the stream while the other is
 * sent, so reading from Redis and writing to the store overlap; the SHA-256 and the size
 * of everything written. The upload itself is started on the sending thread as this is
 * made, so the store's round trips (and recording the upload's id) overlap with Redis
 * preparing its snapshot ({@code repl-diskless-sync-delay}) instead of coming before it.
 */
class PartedUpload extends OutputStream {

	private static final CustomizableThreadFactory THREADS = threads();

	private volatile BackupStore.Upload upload;

	private final MessageDigest sha256;

	private final ExecutorService sender = Executors.newSingleThreadExecutor(THREADS);

	private byte[] filling;

	private byte[] spare;

	private Future<?> sending;

	private int filled;

	private long size;

	/**
	 * Start the upload on the sending thread; parts wait for it.
	 * @param start starts the multipart upload (and records its id) before any part
	 * @param partSize the size of each part but the last
	 */
	PartedUpload(Supplier<BackupStore.Upload> start, int partSize) {
		this.sending = this.sender.submit(() -> {
			this.upload = start.get();
		});
		this.filling = new byte[partSize];
		this.spare = new byte[partSize];
		try {
			this.sha256 = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void write(int b) {
		write(new byte[] { (byte) b }, 0, 1);
	}

	@Override
	public void write(byte[] bytes, int offset, int length) {
		this.sha256.update(bytes, offset, length);
		this.size += length;
		int at = offset;
		int left = length;
		while (left > 0) {
			int take = Math.min(left, this.filling.length - this.filled);
			System.arraycopy(bytes, at, this.filling, this.filled, take);
			this.filled += take;
			at += take;
			left -= take;
			if (this.filled == this.filling.length) {
				send();
			}
		}
	}

	// the part before must be in the store before its buffer is filled again
	private void send() {
		awaitSent();
		byte[] part = this.filling;
		int length = this.filled;
		this.sending = this.sender.submit(() -> this.upload.part(part, length));
		this.filling = this.spare;
		this.spare = part;
		this.filled = 0;
	}

	private void awaitSent() {
		if (this.sending == null) {
			return;
		}
		try {
			this.sending.get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while a part was sent", ex);
		}
		finally {
			this.sending = null;
		}
	}

	/**
	 * Send the last part and complete the object.
	 * @return the object's size and SHA-256
	 */
	Written complete() {
		if (this.filled > 0 || this.size == 0) {
			send();
		}
		awaitSent();
		this.upload.complete();
		return new Written(this.size, HexFormat.of().formatHex(this.sha256.digest()));
	}

	/**
	 * Abort the upload, once it has started (waiting for its start if it is still under
	 * way): the store lists no object and drops the parts.
	 * @return false when no upload was started
	 */
	boolean abort() {
		try {
			awaitSent();
		}
		catch (RuntimeException ex) {
			// the start or a part failed: abort what exists
		}
		if (this.upload == null) {
			return false;
		}
		this.upload.abort();
		return true;
	}

	/**
	 * Stop the sending thread; a part in flight is left to the abort.
	 */
	@Override
	public void close() {
		this.sender.shutdownNow();
	}

	private static CustomizableThreadFactory threads() {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("backup-upload-");
		threads.setDaemon(true);
		return threads;
	}

	/**
	 * The object's size and hash.
	 *
	 * @param size the bytes written
	 * @param sha256 their SHA-256, hex
	 */
	record Written(long size, String sha256) {

	}

}
