package io.github.redisonmesos.broker.instance;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import io.github.redisonmesos.broker.catalog.RedisCatalog;
import io.github.redisonmesos.broker.deployment.DeploymentStatus;
import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.HaRole;
import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.deployment.NodePlacement;
import io.github.redisonmesos.broker.deployment.RedisDeployer;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisHa;
import io.github.redisonmesos.broker.deployment.RedisSettings;
import io.github.redisonmesos.broker.security.UnreadableSecretException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException;
import org.springframework.stereotype.Component;

/**
 * Drives an unfinished operation from its record: works out where it stands from what
 * Marathon and Consul say now, and repeats whatever side effect the record asks for and
 * the platform does not show yet (an app to create, a plan to apply, an app to remove).
 * Every step is idempotent and nothing is remembered between polls, so any broker
 * instance finishes an operation that another one started, whatever point it crashed at.
 */
@Component
class OperationDriver {

	private static final Logger logger = LoggerFactory.getLogger(OperationDriver.class);

	/**
	 * What an update does, as {@code last_operation} says while it runs: a new plan or
	 * new settings are a new app definition, which Marathon starts as a new task.
	 */
	static final String RESTARTING = "restarting Redis with the instance's plan and settings (Marathon replaces the "
			+ "task; the data stays on the volume)";

	/**
	 * What an update of an HA instance does, as {@code last_operation} says while it
	 * runs: one node at a time.
	 */
	static final String ROLLING = "rolling update";

	private static final String ROLLING_ORDER = "replicas first, the primary last after a switch-over";

	private final InstanceRecords instances;

	private final RedisDeployer deployer;

	private final RedisDiscovery discovery;

	private final RedisCatalog catalog;

	private final InstanceDeployments deployments;

	private final HaSecrets haSecrets;

	private final RedisHa ha;

	private final Duration timeout;

	private final Clock clock;

	private final HaPrimaryPlacement primaryPlacement;

	OperationDriver(InstanceRecords instances, RedisDeployer deployer, RedisDiscovery discovery, RedisCatalog catalog,
			InstanceDeployments deployments, HaSecrets haSecrets, RedisHa ha, ProvisionProperties properties,
			Clock clock) {
		this.instances = instances;
		this.deployer = deployer;
		this.discovery = discovery;
		this.catalog = catalog;
		this.deployments = deployments;
		this.haSecrets = haSecrets;
		this.ha = ha;
		this.timeout = properties.timeout();
		this.clock = clock;
		this.primaryPlacement = new HaPrimaryPlacement(ha);
	}

	/**
	 * Take one step of an unfinished operation.
	 * @param record the record, whose operation is in progress
	 * @return the operation as it stands now
	 */
	Operation advance(InstanceRecord record) {
		Operation operation = record.operation();
		try {
			return (operation.type() == Operation.Type.DEPROVISION) ? removing(record) : deploying(record);
		}
		catch (ServiceBrokerUnavailableException | ServiceBrokerConcurrencyException ex) {
			// Marathon or Consul is away or busy: the record still says what to do,
			// and the next poll tries again
			return timedOutOr(operation, "retrying after: " + ex.getMessage(), record.instanceId());
		}
		catch (UnreadableSecretException ex) {
			// the broker's key, not the operation, is wrong: fixing BROKER_SECRETS_KEY
			// lets the next poll go on, so the record is left as it is
			throw ex;
		}
		catch (ServiceBrokerException ex) {
			// an answer that retrying cannot change (a refused app definition)
			return operation.to(Operation.State.FAILED, ex.getMessage());
		}
	}

	/**
	 * Begin an operation whose record this request just wrote: carry out its side effect.
	 * A provision that finds an app already there brings it to the record's definition.
	 * What cannot be done now (Marathon away or busy) is left to
	 * {@link #advance(InstanceRecord)}; a refusal that retrying cannot change fails the
	 * operation, unless another request changed the record meanwhile, and is thrown to
	 * answer the request.
	 * @param record the record as written
	 * @throws ServiceBrokerException when the platform refuses for good
	 */
	void begin(InstanceRecord record) {
		try {
			carryOut(record, this::deployOrAdopt);
		}
		catch (ServiceBrokerException ex) {
			this.instances.find(record.instanceId())
				.filter((current) -> current.value().operation().equals(record.operation()))
				.ifPresent((current) -> this.instances.replace(current, record
					.withOperation(record.operation().to(Operation.State.FAILED, ex.getErrorMessage().getMessage()))));
			throw ex;
		}
	}

	/**
	 * Resume an unfinished operation whose record another request wrote (a re-sent
	 * request, perhaps after a crash between the record and the side effect): carry out
	 * its side effect again, leaving an app that exists as it is. Marathon away or busy
	 * is left to {@link #advance(InstanceRecord)}.
	 * @param record the record
	 */
	void resume(InstanceRecord record) {
		carryOut(record, this.deployer::deploy);
	}

	private void carryOut(InstanceRecord record, Consumer<RedisDeployment> provision) {
		try {
			switch (record.operation().type()) {
				case PROVISION -> provision.accept(deployment(record));
				// an HA instance rolls, node by node, poll by poll (rolling)
				case UPDATE -> {
					if (record.nodes() == 1) {
						this.deployer.redeploy(deployment(record));
					}
				}
				case DEPROVISION -> this.deployer.undeploy(record.instanceId(), record.nodes());
			}
		}
		catch (ServiceBrokerUnavailableException | ServiceBrokerConcurrencyException ex) {
			logger.warn("event=operation_deferred operation={} instance_id={} reason=\"{}\"",
					record.operation().type().token(), record.instanceId(), ex.getMessage());
		}
	}

	// an app this record did not create (a failed attempt, or one left behind by an
	// earlier instance with this id) must run this record's definition, whose admin
	// password is the one the broker holds
	private void deployOrAdopt(RedisDeployment deployment) {
		if (!this.deployer.deploy(deployment)) {
			logger.info("event=app_adopted instance_id={}", deployment.instanceId());
			this.deployer.redeploy(deployment);
		}
	}

	private Operation removing(InstanceRecord record) {
		Operation operation = record.operation();
		String instanceId = record.instanceId();
		Optional<DeploymentStatus> status = this.deployer.status(instanceId, record.nodes());
		if (status.isPresent()) {
			if (!status.get().deploying()) {
				// a crash before the removal, or a create that arrived after it
				this.deployer.undeploy(instanceId, record.nodes());
			}
			return timedOutOr(operation, "waiting for Marathon to remove the Redis app", instanceId);
		}
		if (this.discovery.registered(instanceId)) {
			return timedOutOr(operation, "waiting for Consul to deregister Redis", instanceId);
		}
		return operation.to(Operation.State.SUCCEEDED, "Redis app removed");
	}

	private Operation deploying(InstanceRecord record) {
		Operation operation = record.operation();
		String instanceId = record.instanceId();
		int nodes = record.nodes();
		Optional<DeploymentStatus> found = this.deployer.status(instanceId, nodes);
		if (found.isEmpty()) {
			// the record was written, the app never created (a crash in between)
			this.deployer.deploy(deployment(record));
			return waitingOr(record, "creating the Redis app");
		}
		DeploymentStatus status = found.get();
		if (nodes > 1 && operation.type() == Operation.Type.UPDATE && status.apps() >= nodes) {
			Optional<Operation> rolling = rolling(record, nodes);
			if (rolling.isPresent()) {
				return rolling.get();
			}
		}
		boolean otherPlan = status.planId() != null && !status.planId().equals(record.planId());
		boolean otherSettings = status.settings() != null && !status.settings().equals(settings(record).label());
		// an HA update rolls instead (above), never all nodes at once
		boolean rolls = nodes > 1 && operation.type() == Operation.Type.UPDATE;
		if ((otherPlan || otherSettings) && !status.deploying() && !rolls) {
			// the record took the new plan or settings, Marathon not yet (a crash in
			// between, or Marathon away when the update was asked for)
			this.deployer.redeploy(deployment(record));
			return waitingOr(record, otherPlan ? "changing the plan" : "changing the settings");
		}
		DeploymentStatus.TaskFailure failure = status.lastTaskFailure();
		if (status.tasksHealthy() == 0 && failure != null && !failure.timestamp().isBefore(operation.startedAt())) {
			return operation.to(Operation.State.FAILED, "Redis task failed: " + failure.message());
		}
		if (status.apps() < nodes) {
			return nextNode(record, status, nodes);
		}
		if (nodes > 1 && status.tasksHealthy() < nodes) {
			Optional<String> waiting = waitingForAgent(this.deployer.nodePlacements(instanceId, nodes));
			if (waiting.isPresent()) {
				return waitingOr(record,
						waiting.get() + " (" + status.tasksHealthy() + " of " + nodes + " nodes healthy)");
			}
		}
		if (status.deploying() || status.tasksHealthy() < nodes) {
			return waitingOr(record, "waiting for Marathon to start the Redis task"
					+ ((nodes > 1) ? "s (" + status.tasksHealthy() + " of " + nodes + " healthy)" : ""));
		}
		if (nodes > 1) {
			return haWhole(record, nodes);
		}
		if (this.discovery.locate(instanceId).endpoint().isEmpty()) {
			return waitingOr(record, "waiting for Consul to list Redis as passing");
		}
		return running(operation, "Redis is running");
	}

	// an update says that Redis restarted and kept its data
	private static Operation running(Operation operation, String running) {
		return operation.to(Operation.State.SUCCEEDED,
				(operation.type() == Operation.Type.UPDATE)
						? running + ", restarted with the instance's plan and settings; the data stayed on the volume"
						: running);
	}

	/**
	 * One step of an HA instance's rolling update, decided from what Marathon's labels
	 * and the Sentinels say now (nothing is remembered between polls): a node whose app
	 * has not the record's plan or settings is redeployed only while every node app is
	 * deployed, not deploying and healthy and the instance is whole; the replicas first,
	 * the primary last, after a switch-over has made another node the primary.
	 * @return the operation as it stands, empty once every node has the record's plan and
	 * settings (the usual checks finish it)
	 */
	private Optional<Operation> rolling(InstanceRecord record, int nodes) {
		Operation operation = record.operation();
		String instanceId = record.instanceId();
		String settings = settings(record).label();
		List<Optional<DeploymentStatus>> statuses = this.deployer.nodeStatuses(instanceId, nodes);
		List<Integer> outdated = new ArrayList<>();
		for (int node = 0; node < nodes; node++) {
			Optional<DeploymentStatus> status = statuses.get(node);
			if (status.isEmpty()) {
				// a node app missing: the usual checks deploy it (with the record's
				// definition)
				return Optional.empty();
			}
			if (!record.planId().equals(status.get().planId()) || !settings.equals(status.get().settings())) {
				outdated.add(node);
			}
		}
		if (outdated.isEmpty()) {
			return Optional.empty();
		}
		String updated = (nodes - outdated.size()) + " of " + nodes + " updated; " + ROLLING_ORDER;
		for (int node = 0; node < nodes; node++) {
			DeploymentStatus status = statuses.get(node).orElseThrow();
			if (status.deploying() || status.tasksHealthy() < 1) {
				Optional<String> waiting = waitingForAgent(this.deployer.nodePlacements(instanceId, nodes));
				if (waiting.isPresent()) {
					return Optional.of(rollingOr(operation, waiting.get() + " (" + updated + ")", instanceId));
				}
				return Optional.of(rollingOr(operation, "node-" + node
						+ (outdated.contains(node) ? " waiting to restart" : " restarting") + " (" + updated + ")",
						instanceId));
			}
		}
		List<HaNode> listed = this.discovery.locateHa(instanceId);
		if (listed.size() < nodes) {
			return Optional.of(rollingOr(operation, "waiting for Consul to list the HA nodes (" + listed.size() + " of "
					+ nodes + " passing; " + updated + ")", instanceId));
		}
		HaAccess access = this.haSecrets.access(record, listed);
		this.ha.handOver(access);
		HaState state = this.ha.state(access, nodes);
		List<Integer> primaries = state.roles()
			.entrySet()
			.stream()
			.filter((role) -> role.getValue() == HaRole.PRIMARY)
			.map(Map.Entry::getKey)
			.toList();
		if (!state.whole() || primaries.size() != 1) {
			return Optional.of(rollingOr(operation,
					"waiting for the HA instance before the next node: " + (state.whole()
							? primaries.size() + " nodes say they are the primary" : String.join(", ", state.missing()))
							+ " (" + updated + ")",
					instanceId));
		}
		int primary = primaries.get(0);
		Optional<Integer> replica = outdated.stream().filter((node) -> node != primary).findFirst();
		if (replica.isPresent()) {
			logger.info("event=ha_rolling_restart instance_id={} node={} role=replica", instanceId, replica.get());
			this.deployer.redeployNode(deployment(record), replica.get());
			return Optional
				.of(rollingOr(operation, "node-" + replica.get() + " restarting (" + updated + ")", instanceId));
		}
		// only the primary's node is left: another node takes over first, and the
		// primary's node restarts once the Sentinels name that one and it is whole
		logger.info("event=ha_switch_over instance_id={} from_node={}", instanceId, primary);
		this.ha.switchOver(access, this.catalog.requirePlan(record.planId()).ha().failoverTimeout());
		return Optional.of(rollingOr(operation, "switching over from node-" + primary
				+ ", the primary, to a replica before it restarts (" + updated + ")", instanceId));
	}

	// an HA instance is done when a primary, its replicas in sync and a Sentinel quorum
	// agree; each node gets the internal passwords once, as it comes up
	private Operation haWhole(InstanceRecord record, int nodes) {
		Operation operation = record.operation();
		List<HaNode> listed = this.discovery.locateHa(record.instanceId());
		if (listed.size() < nodes) {
			return waitingOr(record,
					"waiting for Consul to list the HA nodes (" + listed.size() + " of " + nodes + " passing)");
		}
		HaAccess access = this.haSecrets.access(record, listed);
		this.ha.handOver(access);
		HaState state = this.ha.state(access);
		if (!state.whole()) {
			return waitingOr(record, "waiting for the HA instance: " + String.join(", ", state.missing()));
		}
		// before the instance is handed over: a replica deployed before the last node had
		// an agent gets a constraint that keeps it off every other node's; then a primary
		// without one is switched over, and restarts as a replica with one
		List<Optional<NodePlacement>> placements = this.deployer.nodePlacements(record.instanceId(), nodes);
		Optional<HaPlacementChoice.Move> move = HaPlacementChoice.choose(placements, state);
		if (move.isPresent()) {
			logger.info("event=ha_placement_repair instance_id={} node={} reason=\"{}\"", record.instanceId(),
					move.get().node(), move.get().reason());
			this.deployer.redeployNode(deployment(record), move.get().node());
			return waitingOr(record, "keeping the nodes on agents of their own: node-" + move.get().node()
					+ " restarting (" + move.get().reason() + ")");
		}
		if (operation.type() == Operation.Type.PROVISION) {
			Optional<String> switching = this.primaryPlacement.step(record.instanceId(), access, state, placements,
					this.catalog.requirePlan(record.planId()).ha().failoverTimeout());
			if (switching.isPresent()) {
				return waitingOr(record, "keeping the nodes on agents of their own: " + switching.get());
			}
		}
		String whole = "a primary, " + (nodes - 1) + " replicas in sync and " + nodes + " Sentinels with a quorum";
		if (operation.type() == Operation.Type.UPDATE) {
			return operation.to(Operation.State.SUCCEEDED,
					ROLLING + " done: every node restarted with the instance's " + "plan and settings, one at a time ("
							+ ROLLING_ORDER + "); " + whole + "; the data stayed on the volumes");
		}
		return running(operation, "Redis is running: " + whole);
	}

	private RedisDeployment deployment(InstanceRecord record) {
		return this.deployments.of(record);
	}

	private RedisSettings settings(InstanceRecord record) {
		return this.deployments.settings(record);
	}

	// node-0 alone until its Sentinel is listed (the others ask it for the primary), then
	// one node at a time, each once every node deployed before it has an agent: so each
	// new node's constraint keeps it off all of theirs, and no two start on one agent
	private Operation nextNode(InstanceRecord record, DeploymentStatus status, int nodes) {
		String instanceId = record.instanceId();
		String started = "starting the HA nodes (" + status.apps() + " of " + nodes + " deployed)";
		if (this.discovery.locateHa(instanceId).isEmpty()) {
			this.deployer.deploy(deployment(record));
			return waitingOr(record, started);
		}
		List<Optional<NodePlacement>> placements = this.deployer.nodePlacements(instanceId, nodes);
		Optional<String> waiting = waitingForAgent(placements);
		if (waiting.isPresent()) {
			return waitingOr(record, started + ": " + waiting.get());
		}
		for (int node = 0; node < nodes; node++) {
			if (placements.get(node).isEmpty()) {
				this.deployer.deployNode(deployment(record), node);
				return waitingOr(record, started + ": node-" + node + " deployed");
			}
		}
		return waitingOr(record, started);
	}

	/**
	 * What a node that has no agent waits for, as {@code last_operation} says it:
	 * Marathon keeps it in its launch queue until an agent that no other node runs on
	 * offers, so with fewer agents than nodes the instance runs with the nodes it has.
	 * @param placements each node's placement by index
	 * @return the sentence, empty when every deployed node has an agent
	 */
	static Optional<String> waitingForAgent(List<Optional<NodePlacement>> placements) {
		for (int node = 0; node < placements.size(); node++) {
			Optional<NodePlacement> placement = placements.get(node);
			if (placement.isPresent() && !placement.get().placed()) {
				Set<String> avoided = placement.get().avoidedHosts();
				return Optional.of("node-" + node + " waits for an agent no other node runs on"
						+ (avoided.isEmpty() ? "" : " (Marathon keeps it in its launch queue, off "
								+ String.join(", ", new TreeSet<>(avoided)) + ")"));
			}
		}
		return Optional.empty();
	}

	private Operation timedOutOr(Operation operation, String waiting, String instanceId) {
		return timedOutOr(operation, waiting, instanceId,
				(operation.type() == Operation.Type.UPDATE) ? RESTARTING + ": " + waiting : waiting);
	}

	// an HA instance's update rolls: its descriptions say so
	private Operation waitingOr(InstanceRecord record, String waiting) {
		return (record.nodes() > 1 && record.operation().type() == Operation.Type.UPDATE)
				? rollingOr(record.operation(), waiting, record.instanceId())
				: timedOutOr(record.operation(), waiting, record.instanceId());
	}

	private Operation rollingOr(Operation operation, String waiting, String instanceId) {
		return timedOutOr(operation, ROLLING + ": " + waiting, instanceId, ROLLING + ": " + waiting);
	}

	private Operation timedOutOr(Operation operation, String waiting, String instanceId, String description) {
		Duration elapsed = Duration.between(operation.startedAt(), this.clock.instant());
		if (elapsed.compareTo(this.timeout) > 0) {
			return operation.to(Operation.State.FAILED,
					"gave up after " + readable(this.timeout) + " (broker.provision.timeout) " + waiting
							+ "; check the Marathon app of instance " + instanceId + " for the cause.");
		}
		return operation.to(Operation.State.IN_PROGRESS, description);
	}

	// "10 minutes" rather than PT10M; a timeout under a minute would otherwise read "0"
	private static String readable(Duration duration) {
		if (duration.toSecondsPart() == 0 && duration.toMinutes() > 0) {
			return duration.toMinutes() + " minutes";
		}
		return duration.toSeconds() + " seconds";
	}

}
