package io.github.redisonmesos.broker.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.github.redisonmesos.broker.deployment.DeploymentStatus;
import io.github.redisonmesos.broker.deployment.HaDeployment;
import io.github.redisonmesos.broker.deployment.NodePlacement;
import io.github.redisonmesos.broker.deployment.PortRange;
import io.github.redisonmesos.broker.deployment.RedisDeployer;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.RestoreSeed;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException;

/**
 * In-process Marathon behind the broker's port: remembers what is deployed and reports
 * whatever status a test sets; a deploy or redeploy starts a deployment that
 * {@link #healthy(String)} finishes.
 */
public class FakeDeployer implements RedisDeployer {

	private final Map<String, RedisDeployment> deployments = new ConcurrentHashMap<>();

	private final Map<String, DeploymentStatus> statuses = new ConcurrentHashMap<>();

	// the apps of an HA instance's nodes, each with its own status
	private final Map<String, Map<Integer, DeploymentStatus>> nodes = new ConcurrentHashMap<>();

	// where each node of an HA instance runs: a node is placed on its own agent as soon
	// as
	// it is deployed, as Marathon stages a task
	private final Map<String, Map<Integer, NodePlacement>> placements = new ConcurrentHashMap<>();

	private final List<String> calls = new ArrayList<>();

	private Runnable beforeNextChange = () -> {
	};

	private volatile boolean unreachable;

	private volatile boolean locked;

	private volatile boolean refusing;

	private volatile PortRange redisPorts;

	@Override
	public boolean deploy(RedisDeployment deployment) {
		change(deployment.instanceId());
		synchronized (this) {
			this.calls.add("deploy " + deployment.instanceId());
			if (deployment.topology() instanceof HaDeployment) {
				Map<Integer, DeploymentStatus> deployed = this.nodes.computeIfAbsent(deployment.instanceId(),
						(id) -> new ConcurrentHashMap<>());
				if (deployed.size() >= apps(deployment)) {
					return false;
				}
				for (int node = 0; node < apps(deployment); node++) {
					if (deployed.putIfAbsent(node, starting(deployment)) == null) {
						place(deployment, node);
					}
				}
				this.deployments.put(deployment.instanceId(), deployment);
				return true;
			}
			DeploymentStatus current = this.statuses.get(deployment.instanceId());
			if (current != null && current.apps() >= apps(deployment)) {
				return false;
			}
			this.deployments.put(deployment.instanceId(), deployment);
			this.statuses.put(deployment.instanceId(),
					new DeploymentStatus(deployment.planId(), 1, 0, null, apps(deployment)));
			return true;
		}
	}

	@Override
	public boolean deployNode(RedisDeployment deployment, int node) {
		change(deployment.instanceId());
		synchronized (this) {
			Map<Integer, DeploymentStatus> deployed = this.nodes.computeIfAbsent(deployment.instanceId(),
					(id) -> new ConcurrentHashMap<>());
			if (deployed.containsKey(node)) {
				return false;
			}
			this.calls.add("deploy node-" + node + " " + deployment.instanceId());
			this.deployments.put(deployment.instanceId(), deployment);
			deployed.put(node, starting(deployment));
			place(deployment, node);
			return true;
		}
	}

	// a new task on the first agent no other node runs on, as Marathon would with the
	// node's constraint (agents 10.0.1.1 to 10.0.1.9)
	private void place(RedisDeployment deployment, int node) {
		Map<Integer, NodePlacement> placed = this.placements.computeIfAbsent(deployment.instanceId(),
				(id) -> new ConcurrentHashMap<>());
		Set<String> avoid = deployment.requireHa().nodes().get(node).avoidHosts();
		String host = null;
		for (int agent = 1; agent <= 9 && host == null; agent++) {
			String candidate = "10.0.1." + agent;
			boolean taken = placed.entrySet()
				.stream()
				.anyMatch((other) -> other.getKey() != node && other.getValue().hosts().contains(candidate));
			if (!taken && !avoid.contains(candidate)) {
				host = candidate;
			}
		}
		placed.put(node, new NodePlacement((host != null) ? List.of(host) : List.of(), Instant.now(), avoid, false));
	}

	@Override
	public List<Optional<NodePlacement>> nodePlacements(String instanceId, int nodes) {
		failIfUnreachable();
		Map<Integer, DeploymentStatus> deployed = this.nodes.getOrDefault(instanceId, Map.of());
		Map<Integer, NodePlacement> placed = this.placements.getOrDefault(instanceId, Map.of());
		List<Optional<NodePlacement>> result = new ArrayList<>();
		for (int node = 0; node < nodes; node++) {
			result.add(deployed.containsKey(node) ? Optional.ofNullable(placed.get(node)) : Optional.empty());
		}
		return result;
	}

	/**
	 * Where a node of an HA instance runs now, whatever its constraint said (a move the
	 * broker did not make, or a task waiting for an agent: no host).
	 * @param instanceId the instance id
	 * @param node the node's index
	 * @param host its agent, {@code null} for none
	 * @param since when its task was staged
	 */
	public void placed(String instanceId, int node, String host, Instant since) {
		this.placements.computeIfAbsent(instanceId, (id) -> new ConcurrentHashMap<>())
			.compute(node, (index, placement) -> new NodePlacement((host != null) ? List.of(host) : List.of(), since,
					(placement != null) ? placement.avoidedHosts() : Set.of(), false));
	}

	// as Marathon's adapter: one app, or one per HA node that starts now
	private static int apps(RedisDeployment deployment) {
		return (deployment.topology() instanceof HaDeployment ha) ? ha.nodesToStart() : 1;
	}

	// a node app Marathon starts a new task of
	private static DeploymentStatus starting(RedisDeployment deployment) {
		return new DeploymentStatus(deployment.planId(), 1, 0, null, 1, label(deployment));
	}

	// as Marathon's adapter: the settings, and a restore's mark while the app carries its
	// fetch (node-0's of an HA instance)
	private static String label(RedisDeployment deployment) {
		return deployment.settings().label()
				+ ((deployment.seed() != null) ? RestoreSeed.LABEL_SUFFIX + deployment.seed().backupId() : "");
	}

	@Override
	public synchronized void redeploy(RedisDeployment deployment) {
		change(deployment.instanceId());
		this.calls.add("redeploy " + deployment.instanceId() + " " + deployment.planId());
		this.deployments.put(deployment.instanceId(), deployment);
		if (deployment.topology() instanceof HaDeployment) {
			Map<Integer, DeploymentStatus> deployed = this.nodes.computeIfAbsent(deployment.instanceId(),
					(id) -> new ConcurrentHashMap<>());
			for (int node = 0; node < apps(deployment); node++) {
				deployed.put(node, starting(deployment));
				place(deployment, node);
			}
			return;
		}
		this.statuses.put(deployment.instanceId(),
				new DeploymentStatus(deployment.planId(), 1, 0, null, apps(deployment)));
	}

	@Override
	public synchronized void redeployNode(RedisDeployment deployment, int node) {
		change(deployment.instanceId());
		this.calls.add("redeploy node-" + node + " " + deployment.instanceId() + " " + deployment.planId());
		this.deployments.put(deployment.instanceId(), deployment);
		this.nodes.computeIfAbsent(deployment.instanceId(), (id) -> new ConcurrentHashMap<>())
			.put(node, starting(deployment));
		this.placements.computeIfAbsent(deployment.instanceId(), (id) -> new ConcurrentHashMap<>()).remove(node);
		place(deployment, node);
	}

	@Override
	public List<Optional<DeploymentStatus>> nodeStatuses(String instanceId, int nodes) {
		failIfUnreachable();
		Map<Integer, DeploymentStatus> deployed = this.nodes.getOrDefault(instanceId, Map.of());
		List<Optional<DeploymentStatus>> statuses = new ArrayList<>();
		for (int node = 0; node < nodes; node++) {
			statuses.add(Optional.ofNullable(deployed.get(node)));
		}
		return statuses;
	}

	@Override
	public synchronized void undeploy(String instanceId, int nodes) {
		Runnable hook = takeHook();
		hook.run();
		failIfUnreachable();
		this.calls.add("undeploy " + instanceId);
		this.deployments.remove(instanceId);
		this.nodes.remove(instanceId);
		this.placements.remove(instanceId);
		this.statuses.remove(instanceId);
	}

	@Override
	public void undeployAll(String instanceId) {
		undeploy(instanceId, 1);
	}

	@Override
	public Optional<DeploymentStatus> status(String instanceId, int nodes) {
		failIfUnreachable();
		if (this.nodes.containsKey(instanceId)) {
			// as Marathon's adapter: the nodes' apps summed up, node-0 first
			return new TreeMap<>(this.nodes.get(instanceId)).values().stream().reduce(DeploymentStatus::plus);
		}
		// as Marathon's adapter: the settings label of the definition deployed
		RedisDeployment deployment = this.deployments.get(instanceId);
		return Optional.ofNullable(this.statuses.get(instanceId))
			.map((status) -> (deployment != null) ? status.withSettings(label(deployment)) : status);
	}

	@Override
	public List<String> deployedInstances() {
		failIfUnreachable();
		return List.copyOf(this.deployments.keySet());
	}

	@Override
	public Optional<PortRange> redisPorts() {
		return Optional.ofNullable(this.redisPorts);
	}

	/** Set aside host ports for Redis instances, as broker.marathon.redis-ports does. */
	public void redisPorts(PortRange range) {
		this.redisPorts = range;
	}

	private void change(String instanceId) {
		takeHook().run();
		failIfUnreachable();
		if (this.locked) {
			throw new ServiceBrokerConcurrencyException("Marathon app /osb-redis/" + instanceId + " is locked");
		}
		if (this.refusing) {
			throw new ServiceBrokerException(
					"Marathon refused the app definition of /osb-redis/" + instanceId + "; retrying will not help");
		}
	}

	private synchronized Runnable takeHook() {
		Runnable hook = this.beforeNextChange;
		this.beforeNextChange = () -> {
		};
		return hook;
	}

	private void failIfUnreachable() {
		if (this.unreachable) {
			throw new ServiceBrokerUnavailableException("Marathon at http://127.0.0.1:1 is unreachable");
		}
	}

	/**
	 * The deployment finished and its task is healthy (every node's of an HA instance).
	 */
	public void healthy(String instanceId) {
		if (this.nodes.containsKey(instanceId)) {
			this.nodes.get(instanceId).keySet().forEach((node) -> healthy(instanceId, node));
			return;
		}
		RedisDeployment deployment = this.deployments.get(instanceId);
		int apps = apps(deployment);
		this.statuses.put(instanceId, new DeploymentStatus(deployment.planId(), 0, apps, null, apps));
	}

	/** The deployment of one node of an HA instance finished and its task is healthy. */
	public void healthy(String instanceId, int node) {
		this.nodes.get(instanceId)
			.computeIfPresent(node,
					(index, status) -> new DeploymentStatus(status.planId(), 0, 1, null, 1, status.settings()));
	}

	/** The task of one node of an HA instance ended: it runs again once healthy. */
	public void unhealthy(String instanceId, int node) {
		this.nodes.get(instanceId)
			.computeIfPresent(node,
					(index, status) -> new DeploymentStatus(status.planId(), 0, 0, null, 1, status.settings()));
	}

	/** The task failed with this message. */
	public void taskFailed(String instanceId, String message, Instant at) {
		RedisDeployment deployment = this.deployments.get(instanceId);
		this.statuses.put(instanceId,
				new DeploymentStatus(deployment.planId(), 1, 0, new DeploymentStatus.TaskFailure(message, at)));
	}

	/** The app is being removed: still there, with a deployment in flight. */
	public void removing(String instanceId) {
		RedisDeployment deployment = this.deployments.get(instanceId);
		this.statuses.put(instanceId, new DeploymentStatus(deployment.planId(), 1, 0, null));
	}

	/** An app exists as if deployed earlier (no call recorded). */
	public void running(RedisDeployment deployment) {
		this.deployments.put(deployment.instanceId(), deployment);
		this.statuses.put(deployment.instanceId(), new DeploymentStatus(deployment.planId(), 0, 1, null));
	}

	public void unreachable(boolean unreachable) {
		this.unreachable = unreachable;
	}

	/** Deploys fail as after Marathon's 409 "locked" has been waited out. */
	public void locked(boolean locked) {
		this.locked = locked;
	}

	/** Deploys fail as when Marathon refuses the app definition (422). */
	public void refusing(boolean refusing) {
		this.refusing = refusing;
	}

	/**
	 * Run something once, before the next deploy, redeploy or undeploy (a check of what
	 * Consul holds at that moment, or another broker's request).
	 */
	public synchronized void beforeNextChange(Runnable hook) {
		this.beforeNextChange = hook;
	}

	public Optional<RedisDeployment> deployment(String instanceId) {
		return Optional.ofNullable(this.deployments.get(instanceId));
	}

	public synchronized List<String> calls() {
		return List.copyOf(this.calls);
	}

}
