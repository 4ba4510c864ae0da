package io.github.redisonmesos.broker.instance.operations;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.github.redisonmesos.broker.catalog.RedisCatalog;
import io.github.redisonmesos.broker.deployment.DeploymentStatus;
import io.github.redisonmesos.broker.deployment.NodePlacement;
import io.github.redisonmesos.broker.deployment.RedisDeployer;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisHa;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisSettings;
import io.github.redisonmesos.broker.deployment.RestoreSeed;
import io.github.redisonmesos.broker.instance.HaSecrets;
import io.github.redisonmesos.broker.instance.InstanceDeployments;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRecords;
import io.github.redisonmesos.broker.instance.Operation;
import io.github.redisonmesos.broker.instance.OperationProgress;
import io.github.redisonmesos.broker.instance.ProvisionProperties;
import io.github.redisonmesos.broker.instance.ha.HaCertificateRenewal;
import io.github.redisonmesos.broker.instance.ha.HaPlacementChoice;
import io.github.redisonmesos.broker.instance.ha.HaReadiness;
import io.github.redisonmesos.broker.instance.ha.HaRollingUpdate;
import io.github.redisonmesos.broker.security.UnreadableSecretException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
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

	private final InstanceRecords instances;

	private final RedisDeployer deployer;

	private final RedisDiscovery discovery;

	private final InstanceDeployments deployments;

	private final OperationProgress progress;

	private final HaRollingUpdate rollingUpdate;

	private final HaReadiness readiness;

	private final RestoreFill restores;

	OperationDriver(InstanceRecords instances, RedisDeployer deployer, RedisDiscovery discovery, RedisCatalog catalog,
			InstanceDeployments deployments, HaSecrets haSecrets, RedisHa ha, ProvisionProperties properties,
			Clock clock) {
		this(instances, deployer, discovery, catalog, deployments, haSecrets, ha, properties, clock, null);
	}

	OperationDriver(InstanceRecords instances, RedisDeployer deployer, RedisDiscovery discovery, RedisCatalog catalog,
			InstanceDeployments deployments, HaSecrets haSecrets, RedisHa ha, ProvisionProperties properties,
			Clock clock, RestoreFill restores) {
		this(instances, deployer, discovery, catalog, deployments, haSecrets, ha, properties, clock, restores, null);
	}

	@Autowired
	OperationDriver(InstanceRecords instances, RedisDeployer deployer, RedisDiscovery discovery, RedisCatalog catalog,
			InstanceDeployments deployments, HaSecrets haSecrets, RedisHa ha, ProvisionProperties properties,
			Clock clock, RestoreFill restores, HaCertificateRenewal renewal) {
		this.restores = restores;
		this.instances = instances;
		this.deployer = deployer;
		this.discovery = discovery;
		this.deployments = deployments;
		this.progress = new OperationProgress(properties, clock);
		this.rollingUpdate = new HaRollingUpdate(deployer, discovery, catalog, deployments, haSecrets, ha,
				this.progress, renewal);
		this.readiness = new HaReadiness(deployer, discovery, catalog, deployments, haSecrets, ha, this.progress);
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
			return this.progress.timedOutOr(operation, "retrying after: " + ex.getMessage(), record.instanceId());
		}
		catch (UnreadableSecretException ex) {
			// the broker's key, not the operation, is wrong: fixing BROKER_SECRETS_KEY
			// lets the next poll go on, so the record is left as it is
			throw ex;
		}
		catch (ServiceBrokerException ex) {
			// an answer that retrying cannot change (a refused app definition)
			return OperationProgress.failed(operation, ex.getMessage());
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
				case PROVISION -> provision.accept(creating(record));
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
			return this.progress.timedOutOr(operation, "waiting for Marathon to remove the Redis app", instanceId);
		}
		if (this.discovery.registered(instanceId)) {
			return this.progress.timedOutOr(operation, "waiting for Consul to deregister Redis", instanceId);
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
			this.deployer.deploy(creating(record));
			return this.progress.waiting(record, "creating the Redis app");
		}
		DeploymentStatus status = found.get();
		if (nodes > 1 && operation.type() == Operation.Type.UPDATE && status.apps() >= nodes) {
			Optional<Operation> rolling = this.rollingUpdate.step(record, nodes);
			if (rolling.isPresent()) {
				return rolling.get();
			}
		}
		boolean otherPlan = status.planId() != null && !status.planId().equals(record.planId());
		// an HA node-0 that carries a restore's fetch loses it with its restart as a
		// replica at the end of the provision (HaPrimaryPlacement), not by a redeploy of
		// every node here
		String deployed = (nodes > 1) ? RestoreSeed.withoutFetch(status.settings()) : status.settings();
		boolean otherSettings = deployed != null && !deployed.equals(settings(record).label());
		// an HA update rolls instead (above), never all nodes at once
		boolean rolls = nodes > 1 && operation.type() == Operation.Type.UPDATE;
		if ((otherPlan || otherSettings) && !status.deploying() && !rolls) {
			// the record took the new plan or settings, Marathon not yet (a crash in
			// between, or Marathon away when the update was asked for)
			this.deployer.redeploy(deployment(record));
			if (RestoreSeed.carriesFetch(status.settings())) {
				return this.progress.waiting(record, "restoring a backup: Redis ran with it, now started again "
						+ "without the fetch (its pre-signed URL expires)");
			}
			return this.progress.waiting(record, otherPlan ? "changing the plan" : "changing the settings");
		}
		DeploymentStatus.TaskFailure failure = status.lastTaskFailure();
		if (status.tasksHealthy() == 0 && failure != null && !failure.timestamp().isBefore(operation.startedAt())) {
			return OperationProgress.failed(operation, "Redis task failed: " + failure.message());
		}
		if (status.apps() < nodes) {
			return nextNode(record, status, nodes);
		}
		if (nodes > 1 && status.tasksHealthy() < nodes) {
			Optional<String> waiting = HaPlacementChoice
				.waitingForAgent(this.deployer.nodePlacements(instanceId, nodes));
			if (waiting.isPresent()) {
				return this.progress.waiting(record,
						waiting.get() + " (" + status.tasksHealthy() + " of " + nodes + " nodes healthy)");
			}
		}
		if (status.deploying() || status.tasksHealthy() < nodes) {
			return this.progress.waiting(record, "waiting for Marathon to start the Redis task"
					+ ((nodes > 1) ? "s (" + status.tasksHealthy() + " of " + nodes + " healthy)" : ""));
		}
		if (nodes > 1) {
			Operation ready = this.readiness.check(record, nodes);
			if (!ready.inProgress() && this.deployer.nodeStatuses(instanceId, nodes)
				.get(0)
				.filter((node) -> RestoreSeed.carriesFetch(node.settings()))
				.isPresent()) {
				return this.progress.waiting(record, "restoring a backup: node-0 still carries its fetch, "
						+ "which goes with its restart as a replica");
			}
			return ready;
		}
		Optional<RedisEndpoint> endpoint = this.discovery.locate(instanceId).endpoint();
		if (endpoint.isEmpty()) {
			return this.progress.waiting(record, "waiting for Consul to list Redis as passing");
		}
		Optional<String> restoring = (this.restores != null) ? this.restores.waiting(record, endpoint.get())
				: Optional.empty();
		if (restoring.isPresent()) {
			return this.progress.waiting(record, restoring.get());
		}
		return OperationProgress.running(operation,
				(record.restore() != null && operation.type() == Operation.Type.PROVISION)
						? "Redis is running with backup " + record.restore().backupId() + " of instance "
								+ record.restore().instanceId()
						: "Redis is running");
	}

	private RedisDeployment deployment(InstanceRecord record) {
		return this.deployments.of(record);
	}

	// the app that creates an instance: a restored one's carries its backup
	private RedisDeployment creating(InstanceRecord record) {
		RedisDeployment deployment = deployment(record);
		return (this.restores != null) ? this.restores.creating(record, deployment) : deployment;
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
			this.deployer.deploy(creating(record));
			return this.progress.waiting(record, started);
		}
		List<Optional<NodePlacement>> placements = this.deployer.nodePlacements(instanceId, nodes);
		Optional<String> waiting = HaPlacementChoice.waitingForAgent(placements);
		if (waiting.isPresent()) {
			return this.progress.waiting(record, started + ": " + waiting.get());
		}
		for (int node = 0; node < nodes; node++) {
			if (placements.get(node).isEmpty()) {
				this.deployer.deployNode(deployment(record), node);
				return this.progress.waiting(record, started + ": node-" + node + " deployed");
			}
		}
		return this.progress.waiting(record, started);
	}

}
