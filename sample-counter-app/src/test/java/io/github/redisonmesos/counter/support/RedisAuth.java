package io.github.redisonmesos.counter.support;

import java.util.ArrayList;
import java.util.List;

/**
 * How a test's {@code redis-server} authenticates: as the seed demo ran it (no password),
 * as an operator's own Redis (one password for the {@code default} user), or as the
 * broker provisions it since per-binding users (the {@code default} user off, an admin
 * user, and the binding's own ACL user without {@code @admin} and {@code @dangerous}).
 * Users are given as {@code --user} arguments, so a restarted server has them again.
 *
 * @param appUser the user the app is bound with, {@code null} for the password alone
 * @param appPassword the app's password, {@code null} for none
 * @param adminUser the user the test looks at Redis with, {@code null} for
 * {@code default}
 * @param adminPassword that user's password
 */
public record RedisAuth(String appUser, String appPassword, String adminUser, String adminPassword) {

	public static RedisAuth none() {
		return new RedisAuth(null, null, null, null);
	}

	public static RedisAuth password(String password) {
		return new RedisAuth(null, password, null, password);
	}

	public static RedisAuth aclUser(String user, String password) {
		return new RedisAuth(user, password, "test-admin", "test-admin-pa55");
	}

	List<String> serverArguments() {
		List<String> arguments = new ArrayList<>();
		if (this.appUser != null) {
			// one argument per word: Redis joins them into the config line
			arguments.addAll(List.of("--user", this.adminUser, "on", ">" + this.adminPassword, "~*", "&*", "+@all"));
			arguments.addAll(List.of("--user", this.appUser, "on", ">" + this.appPassword, "~*", "&*", "+@all",
					"-@admin", "-@dangerous"));
			// off, so a connection without credentials is refused (NOAUTH), but with the
			// permissions: Redis 7.0 replays the AOF's MULTI/EXEC blocks (every script
			// with two writes, like the counter's) as the default user and silently drops
			// them when it may not run them (redis/redis#14541, fixed after 7.0.15)
			arguments.addAll(List.of("--user", "default", "off", "resetpass", "~*", "&*", "+@all"));
		}
		else if (this.appPassword != null) {
			arguments.addAll(List.of("--requirepass", this.appPassword));
		}
		return arguments;
	}

}
