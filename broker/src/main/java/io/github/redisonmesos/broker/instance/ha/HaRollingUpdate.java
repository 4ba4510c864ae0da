package io.github.redisonmesos.broker.instance.ha;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.redisonmesos.broker.catalog.RedisCatalog;
import io.github.redisonmesos.broker.deployment.DeploymentStatus;
import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.HaRole;
import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.deployment.RedisDeployer;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisHa;
import io.github.redisonmesos.broker.deployment.TlsMode;
import io.github.redisonmesos.broker.instance.HaSecrets;
import io.github.redisonmesos.broker.instance.InstanceDeployments;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.Operation;
import io.github.redisonmesos.broker.instance.OperationProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HA instance's update, one node at a time: which node restarts next, decided poll by
 * poll from what Marathon's labels and the Sentinels say now (nothing is remembered
 * between polls). A node whose app has not the record's plan or settings is redeployed
 * only while every node app is deployed, not deploying and healthy and the instance is
 * whole; the replicas first, the primary last, after a switch-over has made another node
 * the primary.
 */
public final class HaRollingUpdate {

	private static final Logger logger = LoggerFactory.getLogger(HaRollingUpdate.class);

	/** The order the nodes restart in, as the update's descriptions say it. */
	public static final String ORDER = "replicas first, the primary last after a switch-over";

	private static final Pattern TLS_LABEL = Pattern.compile(";tls=([a-z]+)");

	private final RedisDeployer deployer;

	private final RedisDiscovery discovery;

	private final RedisCatalog catalog;

	private final InstanceDeployments deployments;

	private final HaSecrets haSecrets;

	private final RedisHa ha;

	private final OperationProgress progress;

	private final HaCertificateRenewal renewal;

	public HaRollingUpdate(RedisDeployer deployer, RedisDiscovery discovery, RedisCatalog catalog,
			InstanceDeployments deployments, HaSecrets haSecrets, RedisHa ha, OperationProgress progress) {
		this(deployer, discovery, catalog, deployments, haSecrets, ha, progress, null);
	}

	/**
	 * A rolling update that also renews the nodes' certificates that are due.
	 * @param renewal which nodes' certificates are due, {@code null} for none
	 */
	public HaRollingUpdate(RedisDeployer deployer, RedisDiscovery discovery, RedisCatalog catalog,
			InstanceDeployments deployments, HaSecrets haSecrets, RedisHa ha, OperationProgress progress,
			HaCertificateRenewal renewal) {
		this.renewal = renewal;
		this.deployer = deployer;
		this.discovery = discovery;
		this.catalog = catalog;
		this.deployments = deployments;
		this.haSecrets = haSecrets;
		this.ha = ha;
		this.progress = progress;
	}

	/**
	 * One step of the rolling update.
	 * @param record the instance's record, its update in progress
	 * @param nodes the instance's node count
	 * @return the update as it stands, empty once every node has the record's plan and
	 * settings (or a node app is missing): the usual checks go on from there
	 */
	public Optional<Operation> step(InstanceRecord record, int nodes) {
		Operation operation = record.operation();
		String instanceId = record.instanceId();
		String settings = this.deployments.settings(record).label();
		List<Optional<DeploymentStatus>> statuses = this.deployer.nodeStatuses(instanceId, nodes);
		List<Integer> outdated = new ArrayList<>();
		TlsMode transport = deployedTls(settings);
		boolean otherTransport = false;
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
			otherTransport |= deployedTls(status.get().settings()) != transport;
		}
		if (otherTransport) {
			return Optional.of(restartTogether(record, statuses, outdated, transport));
		}
		Map<Integer, Instant> due = (this.renewal != null) ? this.renewal.due(record, operation.startedAt()) : Map.of();
		due.keySet().stream().filter((node) -> !outdated.contains(node)).forEach(outdated::add);
		if (outdated.isEmpty()) {
			return Optional.empty();
		}
		String updated = (nodes - outdated.size()) + " of " + nodes + " updated; " + ORDER;
		for (int node = 0; node < nodes; node++) {
			DeploymentStatus status = statuses.get(node).orElseThrow();
			if (status.deploying() || status.tasksHealthy() < 1) {
				Optional<String> waiting = HaPlacementChoice
					.waitingForAgent(this.deployer.nodePlacements(instanceId, nodes));
				if (waiting.isPresent()) {
					return Optional
						.of(this.progress.rolling(operation, waiting.get() + " (" + updated + ")", instanceId));
				}
				return Optional.of(this.progress.rolling(operation, "node-" + node
						+ (outdated.contains(node) ? " waiting to restart" : " restarting") + " (" + updated + ")",
						instanceId));
			}
		}
		List<HaNode> listed = this.discovery.locateHa(instanceId);
		if (listed.size() < nodes) {
			return Optional.of(this.progress.rolling(operation, "waiting for Consul to list the HA nodes ("
					+ listed.size() + " of " + nodes + " passing; " + updated + ")", instanceId));
		}
		HaAccess access = this.haSecrets.access(record, listed);
		this.ha.handOver(access);
		HaState state = this.ha.state(access, nodes);
		List<Integer> primaries = state.inRole(HaRole.PRIMARY);
		if (!state.whole() || primaries.size() != 1) {
			return Optional.of(this.progress.rolling(operation,
					"waiting for the HA instance before the next node: " + (state.whole()
							? primaries.size() + " nodes say they are the primary" : String.join(", ", state.missing()))
							+ " (" + updated + ")",
					instanceId));
		}
		int primary = primaries.get(0);
		Optional<Integer> replica = outdated.stream().filter((node) -> node != primary).findFirst();
		if (replica.isPresent()) {
			logger.info("event=ha_rolling_restart instance_id={} node={} role=replica", instanceId, replica.get());
			this.deployer.redeployNode(this.deployments.of(record), replica.get());
			return Optional.of(this.progress.rolling(operation,
					"node-" + replica.get() + " restarting (" + updated + ")", instanceId));
		}
		// only the primary's node is left: another node takes over first, and the
		// primary's node restarts once the Sentinels name that one and it is whole
		logger.info("event=ha_switch_over instance_id={} from_node={}", instanceId, primary);
		this.ha.switchOver(access, this.catalog.requirePlan(record.planId()).ha().failoverTimeout());
		return Optional.of(this.progress.rolling(operation, "switching over from node-" + primary
				+ ", the primary, to a replica before it restarts (" + updated + ")", instanceId));
	}

	// every node app that runs another definition is redeployed now, whatever the others
	// do: nodes of both transports cannot form an instance, so waiting for one would be
	// waiting for ever; a node app with a deployment in flight is left to it (Marathon
	// would refuse), and redeployed at a later poll if it still runs the old one
	private Operation restartTogether(InstanceRecord record, List<Optional<DeploymentStatus>> statuses,
			List<Integer> outdated, TlsMode transport) {
		String instanceId = record.instanceId();
		List<Integer> restarted = new ArrayList<>();
		List<Integer> inFlight = new ArrayList<>();
		for (int node : outdated) {
			if (statuses.get(node).orElseThrow().deploying()) {
				inFlight.add(node);
				continue;
			}
			this.deployer.redeployNode(this.deployments.of(record), node);
			restarted.add(node);
		}
		logger.info("event=ha_restart_together instance_id={} tls={} nodes={} in_flight={}", instanceId,
				transport.parameter(), restarted, inFlight);
		int nodes = statuses.size();
		String waiting = (restarted.isEmpty() ? ""
				: names(restarted) + " restarting with tls " + transport.parameter() + "; ")
				+ (inFlight.isEmpty() ? "" : names(inFlight) + " finishing a deployment first; ")
				+ (nodes - outdated.size()) + " of " + nodes + " node apps were on tls " + transport.parameter()
				+ " already";
		return this.progress.rolling(record.operation(), waiting, instanceId);
	}

	private static String names(List<Integer> nodes) {
		return nodes.stream().map((node) -> "node-" + node).collect(Collectors.joining(", "));
	}

	/**
	 * The transport a node app was deployed with, from its settings label.
	 * @param settings the app's {@code osb_settings} label
	 * @return the mode its {@code ;tls=} names, {@link TlsMode#DISABLED} without one
	 */
	static TlsMode deployedTls(String settings) {
		Matcher tls = TLS_LABEL.matcher((settings != null) ? settings : "");
		return tls.find() ? TlsMode.of(tls.group(1)) : TlsMode.DISABLED;
	}

}
