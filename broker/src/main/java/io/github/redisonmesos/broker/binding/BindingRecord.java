package io.github.redisonmesos.broker.binding;

import java.util.Map;
import java.util.Objects;

/**
 * What the broker remembers about a binding, stored as JSON under
 * {@code <prefix>/bindings/<instance-id>/<binding-id>}.
 *
 * @param bindingId the OSB binding id
 * @param instanceId the OSB instance id
 * @param appGuid the bound app, if any
 * @param parameters the bind parameters, if any
 * @param credentials the credentials handed out
 */
record BindingRecord(String bindingId, String instanceId, String appGuid, Map<String, Object> parameters,
		Map<String, Object> credentials) {

	BindingRecord {
		parameters = (parameters != null) ? Map.copyOf(parameters) : Map.of();
		credentials = (credentials != null) ? Map.copyOf(credentials) : Map.of();
	}

	boolean sameAttributes(BindingRecord other) {
		return Objects.equals(this.appGuid, other.appGuid) && Objects.equals(this.parameters, other.parameters);
	}

	@Override
	public String toString() {
		// credentials never reach a log line
		return "BindingRecord[bindingId=" + this.bindingId + ", instanceId=" + this.instanceId + "]";
	}

}
