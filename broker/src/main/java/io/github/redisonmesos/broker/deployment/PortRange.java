package io.github.redisonmesos.broker.deployment;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A range of host ports, both ends included.
 *
 * @param first the first port
 * @param last the last port
 */
public record PortRange(int first, int last) {

	private static final Pattern RANGE = Pattern.compile("\\s*(\\d{1,5})\\s*-\\s*(\\d{1,5})\\s*");

	public PortRange {
		if (first < 1 || last > 65535 || last < first) {
			throw new IllegalArgumentException(
					"A port range runs from a port to a port not below it, both between 1 and 65535: " + first + "-"
							+ last);
		}
	}

	/**
	 * Read a range written as {@code first-last}.
	 * @param text e.g. {@code 33000-33999}
	 * @return the range
	 * @throws IllegalArgumentException when the text is not a range
	 */
	public static PortRange parse(String text) {
		Matcher matcher = RANGE.matcher(text);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("'" + text + "' is not a port range such as 33000-33999");
		}
		return new PortRange(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
	}

	/**
	 * How many ports the range holds.
	 * @return its size
	 */
	public int size() {
		return this.last - this.first + 1;
	}

	/**
	 * Whether a port is in the range.
	 * @param port the port
	 * @return true when it is
	 */
	public boolean contains(int port) {
		return port >= this.first && port <= this.last;
	}

	@Override
	public String toString() {
		return this.first + "-" + this.last;
	}

}
