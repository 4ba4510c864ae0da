package io.github.redisonmesos.broker.rotation;

import java.util.List;

import io.github.redisonmesos.broker.binding.BindingCredentials;
import io.github.redisonmesos.broker.binding.BindingRecord;
import io.github.redisonmesos.broker.binding.BindingRecords;
import io.github.redisonmesos.broker.instance.AdminPasswords;
import io.github.redisonmesos.broker.instance.HaSecrets;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRecords;
import io.github.redisonmesos.broker.records.Versioned;

import org.springframework.stereotype.Component;

/**
 * After a rotation of {@code BROKER_SECRETS_KEY}, seals again with the current key every
 * secret still sealed with {@code BROKER_SECRETS_KEY_PREVIOUS}: the admin password in
 * each instance record and the credentials in each of its binding records. Once a run
 * reseals nothing, the previous key can be dropped. Each write is a check-and-set, so a
 * record another broker changed meanwhile is left for the next run.
 */
@Component
public class Resealer {

	private final InstanceRecords instances;

	private final AdminPasswords adminPasswords;

	private final HaSecrets haSecrets;

	private final BindingRecords bindings;

	private final BindingCredentials credentials;

	public Resealer(InstanceRecords instances, AdminPasswords adminPasswords, HaSecrets haSecrets,
			BindingRecords bindings, BindingCredentials credentials) {
		this.instances = instances;
		this.adminPasswords = adminPasswords;
		this.haSecrets = haSecrets;
		this.bindings = bindings;
		this.credentials = credentials;
	}

	/**
	 * Reseal the secrets of the live instances among these records and of their bindings.
	 * @param records every instance record, tombstones included (a tombstone's secret is
	 * never opened again)
	 * @return how many records were sealed again
	 */
	public int reseal(List<Versioned<InstanceRecord>> records) {
		int resealed = 0;
		for (Versioned<InstanceRecord> current : records) {
			InstanceRecord record = current.value();
			if (record.removed()) {
				continue;
			}
			if ((this.adminPasswords.sealedWithOlderKey(record) || this.haSecrets.sealedWithOlderKey(record))
					&& this.instances.replace(current, this.haSecrets.resealed(this.adminPasswords.resealed(record)))) {
				resealed++;
			}
			resealed += resealBindings(record.instanceId());
		}
		return resealed;
	}

	private int resealBindings(String instanceId) {
		int resealed = 0;
		for (String bindingId : this.bindings.ids(instanceId)) {
			Versioned<BindingRecord> current = this.bindings.find(instanceId, bindingId).orElse(null);
			if (current != null && this.credentials.sealedWithOlderKey(current.value())
					&& this.bindings.replace(current, this.credentials.resealed(current.value()))) {
				resealed++;
			}
		}
		return resealed;
	}

}
