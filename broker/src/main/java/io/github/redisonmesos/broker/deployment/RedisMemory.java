package io.github.redisonmesos.broker.deployment;

/**
 * What an instance's Redis holds now, asked as its admin user. A Redis that cannot be
 * reached surfaces as {@link RedisUnavailableException} (503: retry).
 */
public interface RedisMemory {

	/**
	 * The memory Redis uses now.
	 * @param admin the Redis, reached as the instance's admin user
	 * @return {@code used_memory} of {@code INFO memory}, in bytes
	 */
	long usedMemory(RedisAdmin admin);

	/**
	 * What Redis says of its persistence now.
	 * @param admin the Redis, reached as the instance's admin user
	 * @return the {@code name:value} lines of {@code INFO persistence}
	 */
	String persistence(RedisAdmin admin);

}
