package io.github.redisonmesos.localplatform.consul.acl;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What one token may do, decided as Consul decides it: an exact rule beats any prefix
 * rule, the longest prefix wins, at equal specificity {@code deny} beats {@code write}
 * beats {@code read} (rules of all the token's policies together), {@code write} implies
 * {@code read}, and no matching rule means no access (default policy {@code deny}).
 */
public final class Authorizer {

	/** The answer for everything while ACLs are off. */
	public static final Authorizer ACLS_OFF = new Authorizer("", List.of(), true, false);

	private final String accessorId;

	private final List<Rule> rules;

	private final boolean management;

	private final boolean namedToken;

	Authorizer(String accessorId, List<Rule> rules, boolean management, boolean namedToken) {
		this.accessorId = accessorId;
		this.rules = List.copyOf(rules);
		this.management = management;
		this.namedToken = namedToken;
	}

	/**
	 * An authorizer of rules alone, for tests and tools.
	 * @param rules the rules of the token's policies
	 * @return the authorizer
	 */
	public static Authorizer of(List<Rule> rules) {
		return new Authorizer("", rules, false, true);
	}

	/**
	 * Whether the token may read or write the named resource.
	 * @param resource the kind of resource
	 * @param access {@code READ} or {@code WRITE}
	 * @param name the key, service, node or agent name
	 * @return whether it is allowed
	 */
	public boolean allows(Resource resource, Access access, String name) {
		return this.management || governing(resource, name).map((rule) -> rule.access().grants(access)).orElse(false);
	}

	/**
	 * Consul's {@code KeyWritePrefix}, asked by a recursive delete: the rule that governs
	 * the prefix itself grants write, and no rule under the prefix withholds it.
	 * @param resource the kind of resource
	 * @param prefix the prefix
	 * @return whether everything under the prefix may be written
	 */
	public boolean allowsWriteUnder(Resource resource, String prefix) {
		if (this.management) {
			return true;
		}
		boolean under = this.rules.stream()
			.filter((rule) -> rule.resource() == resource && rule.name().startsWith(prefix)
					&& rule.name().length() > prefix.length())
			.allMatch((rule) -> rule.access() == Access.WRITE);
		return under && allows(resource, Access.WRITE, prefix);
	}

	/**
	 * Throws Consul's 403 unless the token may read or write the named resource.
	 * @param resource the kind of resource
	 * @param access {@code READ} or {@code WRITE}
	 * @param name the resource's name
	 */
	public void check(Resource resource, Access access, String name) {
		if (!allows(resource, access, name)) {
			throw denied(resource.word(), access, name);
		}
	}

	/**
	 * The 403 Consul answers when this token lacks a permission.
	 * @param resource the resource word ({@code key}, {@code acl}, ...)
	 * @param access the access asked for
	 * @param name the resource's name, null for a permission without one ({@code acl})
	 * @return the exception to throw
	 */
	public PermissionDeniedException denied(String resource, Access access, String name) {
		return new PermissionDeniedException(this.accessorId, resource + ":" + access.word(), name);
	}

	/**
	 * Whether this is the management token (the {@code global-management} policy).
	 * @return whether it may do everything, ACL changes included
	 */
	public boolean management() {
		return this.management;
	}

	/**
	 * Whether the request named a token. Consul tells only such callers that ACLs
	 * filtered a result (header {@code X-Consul-Results-Filtered-By-ACLs}).
	 * @return whether a token was given
	 */
	public boolean namedToken() {
		return this.namedToken;
	}

	private Optional<Rule> governing(Resource resource, String name) {
		// exact before prefix, then the longest name, then deny > write > read
		return this.rules.stream()
			.filter((rule) -> rule.appliesTo(resource, name))
			.max(Comparator.comparing((Rule rule) -> !rule.prefix())
				.thenComparingInt((rule) -> rule.name().length())
				.thenComparing(Rule::access));
	}

}
