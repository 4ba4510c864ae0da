package io.github.redisonmesos.broker.instance;

import io.github.redisonmesos.broker.deployment.RedisAdmin;
import io.github.redisonmesos.broker.deployment.TlsMode;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.broker.security.Sealed;
import io.github.redisonmesos.broker.security.SecretBox;

import org.springframework.stereotype.Component;

/**
 * The password of each instance's Redis admin user: generated once, kept sealed in the
 * instance record, opened only in the broker's memory when the broker talks to that Redis
 * or deploys it (and then only its SHA-256 leaves the broker).
 */
@Component
public class AdminPasswords {

	private final SecretBox secrets;

	private final Passwords passwords;

	public AdminPasswords(SecretBox secrets, Passwords passwords) {
		this.secrets = secrets;
		this.passwords = passwords;
	}

	public Sealed generate(String instanceId) {
		return this.secrets.seal(this.passwords.generate(), InstanceRecord.adminPasswordContext(instanceId));
	}

	/**
	 * The admin password of an instance, in plain text.
	 * @param record the instance record
	 * @return the password
	 */
	public String open(InstanceRecord record) {
		return this.secrets.open(record.adminPassword(), InstanceRecord.adminPasswordContext(record.instanceId()));
	}

	/**
	 * How the broker reaches an instance's Redis as its admin user.
	 * @param record the instance record
	 * @param redis where its Redis listens now (the plain port, with
	 * {@code tls: optional})
	 * @return the admin user and password at that address; with {@code tls: optional}, at
	 * the TLS port beside it: the admin password never crosses the network in clear while
	 * TLS is on
	 */
	public RedisAdmin admin(InstanceRecord record, RedisEndpoint redis) {
		TlsMode tls = TlsMode.ofParameters(record.parameters());
		if (tls == TlsMode.OPTIONAL && record.tlsPort() != 0) {
			return new RedisAdmin(new RedisEndpoint(redis.host(), record.tlsPort()), InstanceRecord.ADMIN_USER,
					open(record), tls);
		}
		return new RedisAdmin(redis, InstanceRecord.ADMIN_USER, open(record), tls);
	}

	public String sha256(InstanceRecord record) {
		return Passwords.redisHash(open(record));
	}

	/**
	 * Whether an admin password was sealed with {@code BROKER_SECRETS_KEY_PREVIOUS}.
	 * @param record the instance record
	 * @return true when it should be sealed again
	 */
	public boolean sealedWithOlderKey(InstanceRecord record) {
		return this.secrets.sealedWithOlderKey(record.adminPassword());
	}

	/**
	 * The record with its admin password sealed again with the current key.
	 * @param record the instance record
	 * @return the record to write
	 */
	public InstanceRecord resealed(InstanceRecord record) {
		return record.withAdminPassword(
				this.secrets.seal(open(record), InstanceRecord.adminPasswordContext(record.instanceId())));
	}

}
