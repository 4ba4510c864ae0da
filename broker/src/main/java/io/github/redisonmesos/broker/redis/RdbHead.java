package io.github.redisonmesos.broker.redis;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Passes an RDB on and keeps its first bytes: the header and the aux fields Redis writes
 * before any key ({@code redis-ver}, ..., and from a replica {@code repl-id} and
 * {@code repl-offset}, the replication position the snapshot holds).
 */
final class RdbHead extends FilterOutputStream {

	static final int KEPT = 4096;

	private static final int AUX = 0xFA;

	private final byte[] head = new byte[KEPT];

	private int kept;

	RdbHead(OutputStream out) {
		super(out);
	}

	@Override
	public void write(int b) throws IOException {
		write(new byte[] { (byte) b }, 0, 1);
	}

	@Override
	public void write(byte[] b, int off, int len) throws IOException {
		int keep = Math.min(len, KEPT - this.kept);
		if (keep > 0) {
			System.arraycopy(b, off, this.head, this.kept, keep);
			this.kept += keep;
		}
		this.out.write(b, off, len);
	}

	/**
	 * The aux fields before the first key, in order.
	 * @return each field's name and value (integers in decimal)
	 * @throws IOException when the bytes kept are no RDB header
	 */
	Map<String, String> auxFields() throws IOException {
		if (this.kept < 9 || !"REDIS".equals(new String(this.head, 0, 5, StandardCharsets.US_ASCII))) {
			throw new IOException("the snapshot does not start with an RDB header");
		}
		Reader reader = new Reader(this.head, this.kept, 9);
		Map<String, String> fields = new LinkedHashMap<>();
		while (reader.more() && reader.peek() == AUX) {
			reader.next();
			String name = reader.string();
			fields.put(name, reader.string());
		}
		return fields;
	}

	private static final class Reader {

		private final byte[] bytes;

		private final int length;

		private int position;

		Reader(byte[] bytes, int length, int position) {
			this.bytes = bytes;
			this.length = length;
			this.position = position;
		}

		boolean more() {
			return this.position < this.length;
		}

		int peek() {
			return this.bytes[this.position] & 0xFF;
		}

		int next() throws IOException {
			if (!more()) {
				throw new IOException("the RDB's aux fields run past its first " + KEPT + " bytes");
			}
			return this.bytes[this.position++] & 0xFF;
		}

		// an RDB string: a length then bytes, or an integer encoded in 1, 2 or 4 bytes
		String string() throws IOException {
			int first = next();
			long length;
			switch (first >> 6) {
				case 0 -> length = first & 0x3F;
				case 1 -> length = ((first & 0x3F) << 8) | next();
				case 2 -> length = (first == 0x80) ? bigEndian(4) : bigEndian(8);
				default -> {
					return Long.toString(integer(first & 0x3F));
				}
			}
			if (length > this.length - this.position) {
				throw new IOException("the RDB's aux fields run past its first " + KEPT + " bytes");
			}
			String value = new String(this.bytes, this.position, (int) length, StandardCharsets.UTF_8);
			this.position += (int) length;
			return value;
		}

		private long integer(int encoding) throws IOException {
			return switch (encoding) {
				case 0 -> (byte) next();
				case 1 -> (short) (next() | (next() << 8));
				case 2 -> next() | (next() << 8) | (next() << 16) | (next() << 24);
				default -> throw new IOException("a compressed aux field");
			};
		}

		private long bigEndian(int bytes) throws IOException {
			long value = 0;
			for (int i = 0; i < bytes; i++) {
				value = (value << 8) | next();
			}
			return value;
		}

	}

}
