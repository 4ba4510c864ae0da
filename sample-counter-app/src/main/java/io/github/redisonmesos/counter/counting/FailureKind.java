package io.github.redisonmesos.counter.counting;

/**
 * The ways a count can fail, with the names scripts parse (docs/INTERFACES.md).
 */
enum FailureKind {

	CONSUL_UNREACHABLE("consul-unreachable", "Consul could not be reached"),

	NO_PASSING_INSTANCE("no-passing-instance", "Consul lists no passing Redis instance"),

	SENTINEL_UNREACHABLE("sentinel-unreachable", "No Sentinel could be reached"),

	CONSUL_ACL_DENIED("consul-acl-denied", "Consul ACLs hide the service from the token of this app"),

	REDIS_UNREACHABLE("redis-unreachable", "Redis could not be reached"),

	REDIS_AUTH_FAILED("redis-auth-failed", "Redis refused the credentials of this app"),

	REDIS_REFUSED("redis-refused", "Redis refused the command");

	private final String wireName;

	private final String headline;

	FailureKind(String wireName, String headline) {
		this.wireName = wireName;
		this.headline = headline;
	}

	String wireName() {
		return this.wireName;
	}

	String headline() {
		return this.headline;
	}

}
