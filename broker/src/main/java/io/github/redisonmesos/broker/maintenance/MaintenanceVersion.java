package io.github.redisonmesos.broker.maintenance;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version (semver.org 2.0.0) as {@code maintenance_info.version} carries it,
 * ordered by precedence: build metadata ({@code +...}) does not count, a pre-release
 * ({@code -rc.1}) comes before its release.
 *
 * @param text the version as written
 * @param major the major version
 * @param minor the minor version
 * @param patch the patch version
 * @param preRelease the pre-release identifiers, empty for a release
 */
public record MaintenanceVersion(String text, long major, long minor, long patch,
		List<String> preRelease) implements Comparable<MaintenanceVersion> {

	/** What a valid version looks like, for settings and messages. */
	public static final String PATTERN = "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
			+ "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
			+ "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?";

	private static final Pattern SEMVER = Pattern.compile(PATTERN);

	public MaintenanceVersion {
		preRelease = List.copyOf(preRelease);
	}

	/**
	 * Read a version.
	 * @param text e.g. {@code 1.1.0}
	 * @return the version
	 * @throws IllegalArgumentException when the text is no semantic version
	 */
	public static MaintenanceVersion parse(String text) {
		Matcher matcher = (text != null) ? SEMVER.matcher(text) : null;
		if (matcher == null || !matcher.matches()) {
			throw new IllegalArgumentException("'" + text + "' is not a semantic version such as 1.1.0");
		}
		List<String> preRelease = (matcher.group(4) != null) ? Arrays.asList(matcher.group(4).split("\\.")) : List.of();
		return new MaintenanceVersion(text, Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
				Long.parseLong(matcher.group(3)), preRelease);
	}

	/**
	 * Whether a text is a semantic version.
	 * @param text the text
	 * @return true when {@link #parse(String)} takes it
	 */
	public static boolean valid(String text) {
		return text != null && SEMVER.matcher(text).matches();
	}

	/**
	 * Whether this version comes after another by precedence.
	 * @param other the other version
	 * @return true when newer
	 */
	public boolean newerThan(MaintenanceVersion other) {
		return compareTo(other) > 0;
	}

	@Override
	public int compareTo(MaintenanceVersion other) {
		int compared = Long.compare(this.major, other.major);
		compared = (compared != 0) ? compared : Long.compare(this.minor, other.minor);
		compared = (compared != 0) ? compared : Long.compare(this.patch, other.patch);
		if (compared != 0 || this.preRelease.equals(other.preRelease)) {
			return compared;
		}
		if (this.preRelease.isEmpty() || other.preRelease.isEmpty()) {
			// a release comes after its pre-releases
			return this.preRelease.isEmpty() ? 1 : -1;
		}
		for (int n = 0; n < Math.min(this.preRelease.size(), other.preRelease.size()); n++) {
			int identifier = compareIdentifier(this.preRelease.get(n), other.preRelease.get(n));
			if (identifier != 0) {
				return identifier;
			}
		}
		return Integer.compare(this.preRelease.size(), other.preRelease.size());
	}

	// numeric identifiers by value and before alphanumeric ones, which compare as text
	private static int compareIdentifier(String left, String right) {
		boolean leftNumeric = left.chars().allMatch(Character::isDigit);
		boolean rightNumeric = right.chars().allMatch(Character::isDigit);
		if (leftNumeric && rightNumeric) {
			return new java.math.BigInteger(left).compareTo(new java.math.BigInteger(right));
		}
		if (leftNumeric != rightNumeric) {
			return leftNumeric ? -1 : 1;
		}
		return left.compareTo(right);
	}

	@Override
	public String toString() {
		return this.text;
	}

}
