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
 * @param tls whether the nodes and Sentinels speak TLS ({@link TlsMode#REQUIRED}: TLS
 * only, docs/TLS.md)
 */
public record HaAccess(List<HaNode> nodes, String masterName, String admin, String adminPassword,
		String replicationUser, String replicationPassword, String sentinelUser, String sentinelPassword, TlsMode tls) {

	public HaAccess {
		nodes = List.copyOf(nodes);
		tls = (tls != null) ? tls : TlsMode.DISABLED;
	}

	/**
	 * An HA instance without TLS.
	 */
	public HaAccess(List<HaNode> nodes, String masterName, String admin, String adminPassword, String replicationUser,
			String replicationPassword, String sentinelUser, String sentinelPassword) {
		this(nodes, masterName, admin, adminPassword, replicationUser, replicationPassword, sentinelUser,
				sentinelPassword, TlsMode.DISABLED);
	}

	@Override
	public String toString() {
		// the passwords never reach a log line or a description
		return "HaAccess[masterName=" + this.masterName + ", nodes=" + this.nodes + ", tls=" + this.tls + "]";
	}

}
