package io.github.redisonmesos.broker.backup;

import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The bytes of one backup on their way into a multipart upload: {@value #IN_FLIGHT} parts
 * sent at once while the next one fills from the stream, so reading from Redis and
 * writing to the store overlap, and the store takes parts on as many threads as it has
 * (one part at a time left the stream waiting on the store's per-part work: its MD5 and
 * write). Memory stays bounded whatever the dataset's size: {@value #IN_FLIGHT} + 1 part
 * buffers. The SHA-256 and the size of everything written. The upload itself is started
 * on a sending thread as this is made, so the store's round trips (and recording the
 * upload's id) overlap with Redis preparing its snapshot
 * ({@code repl-diskless-sync-delay}) instead of coming before it.
 */
class PartedUpload extends OutputStream {

	/**
	 * Parts sent at once. One: three at once measured no faster on the bench's 2 cores
	 * (ratio 0.67 and 0.59 at load 3 to 4, against 0.75 with one; README, Backups), the
	 * store's and the broker's CPU being the limit there, not the round trips.
	 */
	static final int IN_FLIGHT = 1;

	private static final Logger logger = LoggerFactory.getLogger(PartedUpload.class);

	private static final CustomizableThreadFactory THREADS = threads();

	private volatile BackupStore.Upload upload;

	private final MessageDigest sha256;

	private final ExecutorService sender = Executors.newFixedThreadPool(IN_FLIGHT, THREADS);

	private final Future<?> started;

	// the parts being sent, oldest first, each with its buffer to fill again once sent
	private final Deque<Sending> sending = new ArrayDeque<>();

	private final int partSize;

	private byte[] filling;

	private int filled;

	private int parts;

	private long size;

	/**
	 * Start the upload on a sending thread; parts wait for it.
	 * @param start starts the multipart upload (and records its id) before any part
	 * @param partSize the size of each part but the last
	 */
	PartedUpload(Supplier<BackupStore.Upload> start, int partSize) {
		this.started = this.sender.submit(() -> {
			this.upload = start.get();
		});
		this.partSize = partSize;
		this.filling = new byte[partSize];
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
		if (this.size == 0 && length > 0) {
			logger.debug("backup.first-bytes");
		}
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

	// at most IN_FLIGHT parts out: the oldest must be in the store before its buffer is
	// filled again
	private void send() {
		await(this.started);
		byte[] part = this.filling;
		int length = this.filled;
		int number = ++this.parts;
		this.sending.addLast(new Sending(this.sender.submit(() -> this.upload.part(number, part, length)), part));
		this.filled = 0;
		this.filling = (this.sending.size() > IN_FLIGHT) ? awaitOldest() : new byte[this.partSize];
	}

	private byte[] awaitOldest() {
		Sending oldest = this.sending.removeFirst();
		await(oldest.sent());
		return oldest.buffer();
	}

	private void awaitAll() {
		RuntimeException failure = null;
		while (!this.sending.isEmpty()) {
			try {
				awaitOldest();
			}
			catch (RuntimeException ex) {
				failure = (failure != null) ? failure : ex;
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	private static void await(Future<?> sent) {
		try {
			sent.get();
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
	}

	/**
	 * Send the last part and complete the object.
	 * @return the object's size and SHA-256
	 */
	Written complete() {
		if (this.filled > 0 || this.size == 0) {
			send();
		}
		awaitAll();
		logger.debug("backup.parts-sent size={}", this.size);
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
			await(this.started);
		}
		catch (RuntimeException ex) {
			// the start failed: nothing to abort
		}
		try {
			awaitAll();
		}
		catch (RuntimeException ex) {
			// a part failed: abort what exists
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

	private record Sending(Future<?> sent, byte[] buffer) {

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
