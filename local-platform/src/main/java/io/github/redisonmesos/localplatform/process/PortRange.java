package io.github.redisonmesos.localplatform.process;

/**
 * A range of host ports, both ends included, as a Mesos port resource holds them.
 *
 * @param begin the first port
 * @param end the last port
 */
public record PortRange(int begin, int end) {

	public PortRange {
		if (begin < 1 || end > 65535 || end < begin) {
			throw new IllegalArgumentException("Not a port range: " + begin + "-" + end);
		}
	}

	/**
	 * Reads {@code 33000-33999} (or a single port).
	 * @param text the range
	 * @return the range
	 */
	public static PortRange parse(String text) {
		String[] ends = text.trim().split("-", 2);
		try {
			int begin = Integer.parseInt(ends[0].trim());
			return new PortRange(begin, (ends.length == 2) ? Integer.parseInt(ends[1].trim()) : begin);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Not a port range: '" + text + "' (expected e.g. 33000-33999)", ex);
		}
	}

	public boolean contains(int port) {
		return port >= this.begin && port <= this.end;
	}

	public int size() {
		return this.end - this.begin + 1;
	}

	@Override
	public String toString() {
		return this.begin + "-" + this.end;
	}

}
