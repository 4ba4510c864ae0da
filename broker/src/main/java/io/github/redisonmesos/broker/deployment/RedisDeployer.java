package io.github.redisonmesos.broker.deployment;

import java.util.List;
import java.util.Optional;

/**
 * Runs one Redis per service instance. Every method is idempotent, so an operation that a
 * crash interrupted is finished by calling it again. An unreachable platform surfaces as
 * {@link org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException}
 * (503: retry), a deployment in the way for longer than the broker waits as
 * {@link org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException}
 * (422), an answer retrying cannot change as
 * {@link org.springframework.cloud.servicebroker.exception.ServiceBrokerException} (500).
 */
public interface RedisDeployer {

	/**
	 * Deploy an instance's Redis unless it is deployed already (then it is left as it
	 * is). An HA instance is an app per node: the missing ones are deployed, the first
	 * node alone until a Sentinel is listed that the others can ask for the primary.
	 * @param deployment what to run
	 * @return true when this call deployed it, false when something was deployed for the
	 * instance already
	 */
	boolean deploy(RedisDeployment deployment);

	/**
	 * Deploy one node of an HA instance unless its app is there already (then it is left
	 * as it is): the nodes beside the first are deployed one at a time, each once the
	 * others have an agent, so that its constraint keeps it off all of theirs.
	 * @param deployment what to run, an HA deployment
	 * @param node the node's index
	 * @return true when this call deployed it, false when its app was there already
	 */
	boolean deployNode(RedisDeployment deployment, int node);

	/**
	 * Bring an instance's Redis to this definition, deploying it when it is missing.
	 * @param deployment what to run
	 */
	void redeploy(RedisDeployment deployment);

	/**
	 * Bring one node of an HA instance to this definition (its app alone, deploying it
	 * when it is missing): Marathon restarts that node's task only, the rolling update of
	 * an HA instance's plan or settings.
	 * @param deployment what to run, an HA deployment
	 * @param node the node's index
	 */
	void redeployNode(RedisDeployment deployment, int node);

	/**
	 * Remove an instance's Redis; its volume stays. Removing what is not deployed is not
	 * an error.
	 * @param instanceId the instance id
	 */
	default void undeploy(String instanceId) {
		undeploy(instanceId, 1);
	}

	/**
	 * Remove an instance's Redis, every node of an HA instance; the volumes stay.
	 * Removing what is not deployed is not an error.
	 * @param instanceId the instance id
	 * @param nodes 1 for a single Redis, the node count of an HA instance
	 */
	void undeploy(String instanceId, int nodes);

	/**
	 * Remove whatever is deployed for an instance, whatever its plan: the single Redis
	 * and every node app there is. For apps that no record knows (the record would say
	 * how many nodes); the volumes stay. Removing what is not deployed is not an error.
	 * @param instanceId the instance id
	 */
	void undeployAll(String instanceId);

	/**
	 * Where an instance's deployment stands.
	 * @param instanceId the instance id
	 * @return its status, empty when nothing is deployed for it
	 */
	default Optional<DeploymentStatus> status(String instanceId) {
		return status(instanceId, 1);
	}

	/**
	 * Where an instance's deployment stands, summed over the nodes of an HA instance
	 * ({@link DeploymentStatus#apps()} says how many of them are deployed).
	 * @param instanceId the instance id
	 * @param nodes 1 for a single Redis, the node count of an HA instance
	 * @return its status, empty when nothing is deployed for it
	 */
	Optional<DeploymentStatus> status(String instanceId, int nodes);

	/**
	 * Where each node of an HA instance stands, each app on its own (its plan and
	 * settings labels, its deployments, its healthy task).
	 * @param instanceId the instance id
	 * @param nodes the node count of the HA instance
	 * @return a status per node by index, empty for a node whose app is not deployed
	 */
	List<Optional<DeploymentStatus>> nodeStatuses(String instanceId, int nodes);

	/**
	 * Where each node of an HA instance runs and which agents its app keeps it off.
	 * @param instanceId the instance id
	 * @param nodes the node count of the HA instance
	 * @return a placement per node by index, empty for a node whose app is not deployed
	 */
	List<Optional<NodePlacement>> nodePlacements(String instanceId, int nodes);

	/**
	 * The agents a single Redis's tasks are on, staged or running: what its certificate
	 * names with host style {@code address} (docs/TLS.md).
	 * @param instanceId the instance id
	 * @return the agents' host names or addresses, empty without a task
	 */
	default List<String> taskHosts(String instanceId) {
		return List.of();
	}

	/**
	 * The agents one HA node's tasks are on, staged or running: what the node's
	 * certificate names with host style {@code address} (docs/TLS.md).
	 * @param instanceId the instance id
	 * @param node the node's index
	 * @return the agents' host names or addresses, empty without a task
	 */
	default List<String> nodeTaskHosts(String instanceId, int node) {
		return List.of();
	}

	/**
	 * The instances with something deployed, for reconciliation with the records.
	 * @return their instance ids
	 */
	List<String> deployedInstances();

	/**
	 * The host ports set aside for Redis instances: each instance gets one of its own,
	 * which its Redis listens on wherever the platform runs it.
	 * @return the range, empty when instances take any port the platform gives
	 */
	Optional<PortRange> redisPorts();

}
