package io.github.redisonmesos.localplatform.consul.acl;

/**
 * One rule of a policy: {@code key_prefix "osb-redis/" { policy = "write" }} is
 * {@code Rule(KEY, "osb-redis/", true, WRITE)}.
 *
 * @param resource what the rule is about
 * @param name the exact name, or the prefix
 * @param prefix whether {@code name} is a prefix ({@code *_prefix} rules)
 * @param access the rule's policy
 */
public record Rule(Resource resource, String name, boolean prefix, Access access) {

	boolean appliesTo(Resource wanted, String target) {
		return this.resource == wanted && (this.prefix ? target.startsWith(this.name) : target.equals(this.name));
	}

}
