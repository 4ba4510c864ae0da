package io.github.redisonmesos.localplatform.consul.acl;

/**
 * A rule's policy. Declared in the order in which one rule takes precedence over another
 * of equal specificity (Consul's policy merger: deny over write over read).
 */
public enum Access {

	READ, WRITE, DENY;

	static Access of(String policy) {
		return switch (policy) {
			case "read" -> READ;
			case "write" -> WRITE;
			case "deny" -> DENY;
			default -> throw new IllegalArgumentException(
					"policy \"" + policy + "\" is not one of \"read\", \"write\", \"deny\"");
		};
	}

	/**
	 * Whether this policy grants the access asked for: write implies read.
	 */
	boolean grants(Access wanted) {
		return (this == WRITE) || (this == READ && wanted == READ);
	}

	String word() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
