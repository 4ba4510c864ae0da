package io.github.redisonmesos.broker.backup;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The bytes of one backup on their way into a multipart upload: one part's buffer in
 * memory whatever the dataset's size, the SHA-256 and the size of everything written.
 */
class PartedUpload extends OutputStream {

	private final BackupStore.Upload upload;

	private final byte[] part;

	private final MessageDigest sha256;

	private int filled;

	private long size;

	PartedUpload(BackupStore.Upload upload, int partSize) {
		this.upload = upload;
		this.part = new byte[partSize];
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
			int take = Math.min(left, this.part.length - this.filled);
			System.arraycopy(bytes, at, this.part, this.filled, take);
			this.filled += take;
			at += take;
			left -= take;
			if (this.filled == this.part.length) {
				this.upload.part(this.part, this.filled);
				this.filled = 0;
			}
		}
	}

	/**
	 * Send the last part and complete the object.
	 * @return the object's size and SHA-256
	 */
	Written complete() {
		if (this.filled > 0 || this.size == 0) {
			this.upload.part(this.part, this.filled);
			this.filled = 0;
		}
		this.upload.complete();
		return new Written(this.size, HexFormat.of().formatHex(this.sha256.digest()));
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
