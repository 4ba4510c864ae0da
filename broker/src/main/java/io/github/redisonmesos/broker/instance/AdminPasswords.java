package io.github.redisonmesos.broker.instance;

import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.broker.security.SecretBox;
import io.github.redisonmesos.broker.security.Sealed;

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

	AdminPasswords(SecretBox secrets, Passwords passwords) {
		this.secrets = secrets;
		this.passwords = passwords;
	}

	Sealed generate(String instanceId) {
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

	String sha256(InstanceRecord record) {
		return Passwords.redisHash(open(record));
	}

	boolean sealedWithOlderKey(InstanceRecord record) {
		return this.secrets.sealedWithOlderKey(record.adminPassword());
	}

	InstanceRecord resealed(InstanceRecord record) {
		return record.withAdminPassword(
				this.secrets.seal(open(record), InstanceRecord.adminPasswordContext(record.instanceId())));
	}

}
