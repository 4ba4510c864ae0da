package io.github.redisonmesos.counter.counting;

/**
 * The three ways a count can fail, with the names scripts parse (docs/INTERFACES.md).
 */
enum FailureKind {

	CONSUL_UNREACHABLE("consul-unreachable", "Consul could not be reached"),

	NO_PASSING_INSTANCE("no-passing-instance", "Consul lists no passing Redis instance"),

	REDIS_UNREACHABLE("redis-unreachable", "Redis could not be reached");

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
