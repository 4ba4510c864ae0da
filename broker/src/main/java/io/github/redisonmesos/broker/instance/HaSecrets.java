package io.github.redisonmesos.broker.instance;

import java.util.List;

import io.github.redisonmesos.broker.deployment.HaAccess;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.TlsMode;
import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.broker.security.SecretBox;
import io.github.redisonmesos.broker.security.Sealed;

import org.springframework.stereotype.Component;

/**
 * The internal passwords of an HA instance: the one replicas authenticate to the primary
 * with and the one Sentinels authenticate with. Generated once, sealed in the instance
 * record like the admin password, opened only in the broker's memory when it hands them
 * to a node or talks to the nodes (Marathon gets their SHA-256 only).
 */
@Component
public class HaSecrets {

	/** The Redis user replicas authenticate to the primary with. */
	public static final String REPLICATION_USER = "osb-replication";

	/** The Redis and Sentinel user Sentinels authenticate with. */
	public static final String SENTINEL_USER = "osb-sentinel";

	private final SecretBox secrets;

	private final Passwords passwords;

	private final AdminPasswords adminPasswords;

	public HaSecrets(SecretBox secrets, Passwords passwords, AdminPasswords adminPasswords) {
		this.secrets = secrets;
		this.passwords = passwords;
		this.adminPasswords = adminPasswords;
	}

	/**
	 * The name the Sentinels of an instance monitor its primary under.
	 * @param instanceId the instance id
	 * @return {@code osb-<instance-id>}
	 */
	public static String masterName(String instanceId) {
		return "osb-" + instanceId;
	}

	public InstanceRecord.Ha generate(String instanceId, List<Integer> ports, int nodes) {
		return new InstanceRecord.Ha(
				this.secrets.seal(this.passwords.generate(), context(instanceId, REPLICATION_USER)),
				this.secrets.seal(this.passwords.generate(), context(instanceId, SENTINEL_USER)), ports, nodes);
	}

	/**
	 * How the broker reaches an HA instance's nodes, with its secrets opened.
	 * @param record the instance record
	 * @param nodes the nodes Consul lists now
	 * @return the access
	 */
	public HaAccess access(InstanceRecord record, List<HaNode> nodes) {
		InstanceRecord.Ha ha = record.requireHa();
		return new HaAccess(nodes, masterName(record.instanceId()), InstanceRecord.ADMIN_USER,
				this.adminPasswords.open(record), REPLICATION_USER,
				open(record, ha.replicationPassword(), REPLICATION_USER), SENTINEL_USER,
				open(record, ha.sentinelPassword(), SENTINEL_USER), TlsMode.ofParameters(record.parameters()));
	}

	public String replicationSha256(InstanceRecord record) {
		return Passwords.redisHash(open(record, record.requireHa().replicationPassword(), REPLICATION_USER));
	}

	public String sentinelSha256(InstanceRecord record) {
		return Passwords.redisHash(open(record, record.requireHa().sentinelPassword(), SENTINEL_USER));
	}

	/**
	 * Whether an HA record's internal passwords were sealed with
	 * {@code BROKER_SECRETS_KEY_PREVIOUS}.
	 * @param record the instance record
	 * @return true when they should be sealed again
	 */
	public boolean sealedWithOlderKey(InstanceRecord record) {
		return record.topology() instanceof InstanceRecord.Ha ha
				&& (this.secrets.sealedWithOlderKey(ha.replicationPassword())
						|| this.secrets.sealedWithOlderKey(ha.sentinelPassword()));
	}

	/**
	 * The record with its internal passwords sealed again with the current key.
	 * @param record the instance record
	 * @return the record to write
	 */
	public InstanceRecord resealed(InstanceRecord record) {
		if (!(record.topology() instanceof InstanceRecord.Ha ha)) {
			return record;
		}
		String id = record.instanceId();
		return record.withHa(new InstanceRecord.Ha(
				this.secrets.seal(open(record, ha.replicationPassword(), REPLICATION_USER),
						context(id, REPLICATION_USER)),
				this.secrets.seal(open(record, ha.sentinelPassword(), SENTINEL_USER), context(id, SENTINEL_USER)),
				ha.ports(), ha.nodes()));
	}

	private String open(InstanceRecord record, Sealed sealed, String user) {
		return this.secrets.open(sealed, context(record.instanceId(), user));
	}

	// bound to its record and role: a sealed password copied elsewhere does not open
	private static String context(String instanceId, String user) {
		return "instance/" + instanceId + "/" + user;
	}

}
