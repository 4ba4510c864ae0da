package io.github.redisonmesos.broker.binding;

import java.util.List;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.RedisAdmin;

/**
 * The Redis users of an instance's bindings (Redis ACLs behind it), kept where they
 * outlive a restart or a move of Redis. A Redis that cannot be reached, or that dropped
 * the connection before confirming a change, surfaces as
 * {@link io.github.redisonmesos.broker.deployment.RedisUnavailableException} (503:
 * retry); a refusal that retrying cannot change as
 * {@link org.springframework.cloud.servicebroker.exception.ServiceBrokerException}.
 */
public interface RedisUsers {

	/**
	 * Create or replace a user: it ends up with exactly this password and these rules.
	 * @param admin the instance's Redis, reached as its admin user
	 * @param user the user name
	 * @param passwordSha256 SHA-256 (hex) of the user's password: the only form of it
	 * that reaches Redis
	 * @param rules the ACL rules of the instance's plan
	 */
	void put(RedisAdmin admin, String user, String passwordSha256, List<String> rules);

	/**
	 * Delete a user, which closes its connections at once; deleting a user that does not
	 * exist is not an error.
	 * @param admin the instance's Redis, reached as its admin user
	 * @param user the user name
	 */
	void delete(RedisAdmin admin, String user);

	/**
	 * Create or replace a user of an HA instance: on every node's Redis (the primary
	 * first) with this password and these rules, and on every node's Sentinel with the
	 * same password and only what a Sentinel client needs to follow the primary. A node
	 * or Sentinel that cannot be reached fails the call (after the others have the user);
	 * putting again is safe.
	 * @param ha the instance's nodes and Sentinels, reached as its admin user
	 * @param user the user name
	 * @param passwordSha256 SHA-256 (hex) of the user's password
	 * @param rules the ACL rules of the instance's plan, for the Redis nodes
	 */
	void put(HaAccess ha, String user, String passwordSha256, List<String> rules);

	/**
	 * Delete a user of an HA instance from every node's Redis and Sentinel, which closes
	 * its connections; deleting a user that does not exist is not an error.
	 * @param ha the instance's nodes and Sentinels, reached as its admin user
	 * @param user the user name
	 */
	void delete(HaAccess ha, String user);

}
