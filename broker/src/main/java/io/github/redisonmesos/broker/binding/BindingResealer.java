package io.github.redisonmesos.broker.binding;

import io.github.redisonmesos.broker.consul.KvKey;
import io.github.redisonmesos.broker.consul.KvRecords;
import io.github.redisonmesos.broker.consul.Versioned;

import org.springframework.stereotype.Component;

/**
 * After a key rotation, seals the credentials of an instance's bindings again with the
 * current key, so that {@code BROKER_SECRETS_KEY_PREVIOUS} can be dropped once every
 * record has been through it.
 */
@Component
public class BindingResealer {

	private final KvRecords records;

	private final BindingRepository bindings;

	private final BindingCredentials credentials;

	BindingResealer(KvRecords records, BindingRepository bindings, BindingCredentials credentials) {
		this.records = records;
		this.bindings = bindings;
		this.credentials = credentials;
	}

	/**
	 * Reseal the bindings of one instance.
	 * @param instanceId the instance id
	 * @return how many were sealed again
	 */
	public int reseal(String instanceId) {
		int resealed = 0;
		for (KvKey key : this.records.list(this.records.bindingsOf(instanceId))) {
			Versioned<BindingRecord> current = this.bindings.find(instanceId, key.name()).orElse(null);
			if (current != null && this.credentials.sealedWithOlderKey(current.value())
					&& this.bindings.replace(current, this.credentials.resealed(current.value()))) {
				resealed++;
			}
		}
		return resealed;
	}

}
