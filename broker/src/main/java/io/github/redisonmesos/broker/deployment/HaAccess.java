package io.github.redisonmesos.broker.deployment;

import java.util.List;

/**
 * How the broker reaches an HA instance's nodes and Sentinels, with the instance's
 * internal secrets opened in its memory: its admin user's password, and the passwords of
 * the users replicas and Sentinels authenticate with (their hashes only are in Marathon;
 * each node gets the passwords once, on its own volume).
 *
 * @param nodes the nodes Consul lists now
 * @param masterName the name the Sentinels monitor the primary under
 * @param admin the admin user's name
 * @param adminPassword its password
 * @param replicationUser the user replicas authenticate to the primary with
 * @param replicationPassword its password
 * @param sentinelUser the user Sentinels authenticate with, to the nodes and to each
 * other
 * @param sentinelPassword its password
 */
public record HaAccess(List<HaNode> nodes, String masterName, String admin, String adminPassword,
		String replicationUser, String replicationPassword, String sentinelUser, String sentinelPassword) {

	public HaAccess {
		nodes = List.copyOf(nodes);
	}

	@Override
	public String toString() {
		// the passwords never reach a log line or a description
		return "HaAccess[masterName=" + this.masterName + ", nodes=" + this.nodes + "]";
	}

}
