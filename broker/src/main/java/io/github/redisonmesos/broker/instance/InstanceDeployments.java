package io.github.redisonmesos.broker.instance;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.github.redisonmesos.broker.catalog.HaProperties;
import io.github.redisonmesos.broker.catalog.InstanceParameters;
import io.github.redisonmesos.broker.catalog.PlanProperties;
import io.github.redisonmesos.broker.catalog.RedisCatalog;
import io.github.redisonmesos.broker.deployment.HaDeployment;
import io.github.redisonmesos.broker.deployment.NodePlacement;
import io.github.redisonmesos.broker.deployment.RedisDeployer;
import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisSettings;

import org.springframework.stereotype.Component;

/**
 * What an instance's record runs on the platform now: its plan, settings and secrets, and
 * for an HA instance each node's ports and placement. The placement rule lives here, for
 * the adapter and every fake to follow: each node keeps off the agents the other nodes'
 * tasks run on when it is rendered (provision, update, repair), so no two nodes share an
 * agent; the operator's zone comes on top.
 */
@Component
public class InstanceDeployments {

	private final RedisDeployer deployer;

	private final RedisDiscovery discovery;

	private final RedisCatalog catalog;

	private final InstanceParameters parameters;

	private final AdminPasswords adminPasswords;

	private final HaSecrets haSecrets;

	public InstanceDeployments(RedisDeployer deployer, RedisDiscovery discovery, RedisCatalog catalog,
			InstanceParameters parameters, AdminPasswords adminPasswords, HaSecrets haSecrets) {
		this.deployer = deployer;
		this.discovery = discovery;
		this.catalog = catalog;
		this.parameters = parameters;
		this.adminPasswords = adminPasswords;
		this.haSecrets = haSecrets;
	}

	/**
	 * The deployment of a record, with each HA node kept off the agents the others run on
	 * now.
	 * @param record the instance's record
	 * @return what to deploy
	 */
	public RedisDeployment of(InstanceRecord record) {
		PlanProperties plan = this.catalog.requirePlan(record.planId());
		RedisDeployment single = record.deployment(plan, this.adminPasswords.sha256(record), settings(record));
		if (!(record.topology() instanceof InstanceRecord.Ha recordHa)) {
			return single;
		}
		HaProperties settings = plan.ha();
		List<Integer> ports = recordHa.ports();
		List<Optional<NodePlacement>> placements = this.deployer.nodePlacements(record.instanceId(), settings.nodes());
		List<HaDeployment.NodeSpec> specs = new ArrayList<>();
		for (int node = 0; node < settings.nodes(); node++) {
			specs.add(new HaDeployment.NodeSpec(ports.isEmpty() ? 0 : ports.get(2 * node),
					ports.isEmpty() ? 0 : ports.get(2 * node + 1), settings.placement(node),
					othersHosts(placements, node)));
		}
		HaDeployment ha = new HaDeployment(HaSecrets.masterName(record.instanceId()), settings.quorum(),
				settings.downAfter(), settings.failoverTimeout(), HaSecrets.REPLICATION_USER,
				this.haSecrets.replicationSha256(record), HaSecrets.SENTINEL_USER,
				this.haSecrets.sentinelSha256(record), specs, this.discovery.locateHa(record.instanceId()));
		return single.toBuilder().port(0).ha(ha).build();
	}

	/**
	 * The agents the other nodes of an HA instance run on: those a node must keep off.
	 * @param placements each node's placement by index
	 * @param node the node's index
	 * @return the hosts of every other node's tasks
	 */
	public static Set<String> othersHosts(List<Optional<NodePlacement>> placements, int node) {
		Set<String> hosts = new LinkedHashSet<>();
		for (int other = 0; other < placements.size(); other++) {
			if (other != node) {
				placements.get(other).ifPresent((placement) -> hosts.addAll(placement.hosts()));
			}
		}
		return hosts;
	}

	// the version of the templates the deployment is rendered from: the catalog's, which
	// is the only one the broker has
	public RedisSettings settings(InstanceRecord record) {
		return RedisSettings.of(this.parameters.effective(record.parameters()))
			.onVersion(this.catalog.maintenanceVersion(record.planId()));
	}

}
