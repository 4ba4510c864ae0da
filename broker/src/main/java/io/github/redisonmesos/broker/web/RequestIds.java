package io.github.redisonmesos.broker.web;

import java.util.regex.Pattern;

/**
 * The one rule for instance and binding ids. An id becomes a Marathon app id segment, a
 * Consul service name ({@code redis-<id>}, which must fit a 63-character DNS label), a
 * Consul key segment, a Redis user name ({@code b-<id>}) and a volume name, so only what
 * is safe in all of them passes: 1 to 57 lower-case letters, digits and inner hyphens.
 * Cloud Foundry's GUIDs do.
 */
public final class RequestIds {

	/** The longest id: {@code redis-} plus this many characters is a DNS label. */
	public static final int MAX_LENGTH = 57;

	/** The rule as a person reads it, for error descriptions. */
	public static final String RULE = "1 to " + MAX_LENGTH
			+ " lower-case letters, digits and '-', starting and ending with a letter or digit (a GUID works)";

	private static final Pattern ID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0," + (MAX_LENGTH - 2) + "}[a-z0-9])?");

	private RequestIds() {
	}

	/**
	 * Whether an id follows the rule.
	 * @param id an id from a request
	 * @return true when it does
	 */
	public static boolean valid(String id) {
		return id != null && ID.matcher(id).matches();
	}

	/**
	 * An id as an error description may quote it: short, and with anything that is not
	 * printable ASCII replaced, so that a hostile id cannot flood or forge a message.
	 * @param id an id from a request
	 * @return the id, shortened to 60 characters
	 */
	public static String quote(String id) {
		if (id == null) {
			return "(none)";
		}
		String shortened = (id.length() > 60) ? id.substring(0, 60) + "..." : id;
		return "'" + shortened.replaceAll("[^\\x20-\\x7e]", "?") + "'";
	}

}
