package io.github.redisonmesos.broker.redis;

import java.time.Duration;
import java.util.List;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisHa;
import io.github.redisonmesos.broker.tls.InstanceCertificates;
import io.github.redisonmesos.broker.tls.InstanceTlsProperties;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * {@link RedisHa} over the nodes' Redis and Sentinels, as their admin user
 * (docs/HA-NODE.md, "What the broker does"), one class a job: the Sentinels' agreement
 * ({@link SentinelQuorum}), where replication stands ({@link ReplicationState}), the
 * users brought into line ({@link HaUserSync}), the switch-over ({@link SwitchOver}) and
 * the gone addresses cleared ({@link SentinelReset}).
 */
@Component
class RedisHaAdmin implements RedisHa {

	// how long a reset Sentinel may take to list every live node again: the replicas come
	// at once from the primary's INFO, the Sentinels with their hello messages (every 2
	// s)
	private static final Duration RELIST_BOUND = Duration.ofSeconds(15);

	private final HaConnections connections;

	private final SentinelQuorum quorum;

	private final ReplicationState replication;

	private final HaUserSync users;

	private final SwitchOver switchOver;

	RedisHaAdmin(RedisProperties properties) {
		this(properties, new InstanceCertificates(InstanceTlsProperties.OFF));
	}

	@Autowired
	RedisHaAdmin(RedisProperties properties, InstanceCertificates certificates) {
		this.connections = new HaConnections(properties, certificates);
		this.quorum = new SentinelQuorum(this.connections);
		this.replication = new ReplicationState(this.connections, this.quorum);
		this.users = new HaUserSync(this.connections, this.quorum);
		this.switchOver = new SwitchOver(this.connections, this.quorum);
	}

	@Override
	public void handOver(HaAccess access) {
		this.users.handOver(access);
	}

	@Override
	public List<RedisEndpoint> clearGoneAddresses(HaAccess access) {
		return this.quorum.namedPrimary(access)
			.map((primary) -> new SentinelReset(access, primary,
					(endpoint) -> this.connections.connect(endpoint, access), RELIST_BOUND)
				.run())
			.orElse(List.of());
	}

	@Override
	public void switchOver(HaAccess access, Duration pause) {
		this.switchOver.run(access, pause);
	}

	@Override
	public HaState state(HaAccess access, int nodes) {
		return this.replication.state(access, nodes);
	}

}
