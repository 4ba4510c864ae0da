package io.github.redisonmesos.broker.deployment;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Where one node of an HA instance runs and which agents its app keeps it off.
 *
 * @param hosts the agents its tasks run on (staged or running), empty while the node
 * waits for an agent (in the platform's launch queue) or has no task
 * @param since when its newest task was staged, {@link Instant#EPOCH} without one
 * @param avoidedHosts the agents its app's constraint keeps it off now (the other nodes'
 * hosts when it was last rendered)
 * @param deploying whether a change of its app is being rolled out (a task starting, or
 * waiting for an agent)
 */
public record NodePlacement(List<String> hosts, Instant since, Set<String> avoidedHosts, boolean deploying) {

	public NodePlacement {
		hosts = List.copyOf(hosts);
		avoidedHosts = Set.copyOf(avoidedHosts);
	}

	/**
	 * Whether the node runs somewhere.
	 * @return true when it has a task on an agent
	 */
	public boolean placed() {
		return !this.hosts.isEmpty();
	}

}
