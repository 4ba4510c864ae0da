package io.github.redisonmesos.broker.binding;

import java.util.Map;
import java.util.Objects;

import io.github.redisonmesos.broker.security.Sealed;

/**
 * What the broker remembers about a binding, stored as JSON under
 * {@code <prefix>/bindings/<instance-id>/<binding-id>}. Written before the binding's
 * Redis user is created, so a user never exists that no record knows of.
 *
 * @param bindingId the OSB binding id
 * @param instanceId the OSB instance id
 * @param appGuid the bound app, if any
 * @param parameters the bind parameters, if any
 * @param username the binding's Redis user
 * @param credentials the credentials handed out (a JSON object), sealed: they hold the
 * user's password
 * @param state whether the Redis user is known to exist
 */
public record BindingRecord(String bindingId, String instanceId, String appGuid, Map<String, Object> parameters,
		String username, Sealed credentials, State state) {

	public BindingRecord {
		parameters = (parameters != null) ? Map.copyOf(parameters) : Map.of();
	}

	/**
	 * The Redis user of a binding.
	 * @param bindingId the binding id
	 * @return {@code b-<binding-id>}
	 */
	static String username(String bindingId) {
		return "b-" + bindingId;
	}

	/**
	 * What the credentials are sealed against: sealed credentials copied into another
	 * record do not open there.
	 * @param instanceId the instance id
	 * @param bindingId the binding id
	 * @return {@code binding/<instance-id>/<binding-id>}
	 */
	static String credentialsContext(String instanceId, String bindingId) {
		return "binding/" + instanceId + "/" + bindingId;
	}

	String credentialsContext() {
		return credentialsContext(this.instanceId, this.bindingId);
	}

	BindingRecord created() {
		return new BindingRecord(this.bindingId, this.instanceId, this.appGuid, this.parameters, this.username,
				this.credentials, State.CREATED);
	}

	BindingRecord withCredentials(Sealed credentials) {
		return new BindingRecord(this.bindingId, this.instanceId, this.appGuid, this.parameters, this.username,
				credentials, this.state);
	}

	boolean sameAttributes(String appGuid, Map<String, Object> parameters) {
		return Objects.equals(this.appGuid, appGuid)
				&& Objects.equals(this.parameters, (parameters != null) ? parameters : Map.of());
	}

	@Override
	public String toString() {
		// credentials never reach a log line
		return "BindingRecord[bindingId=" + this.bindingId + ", instanceId=" + this.instanceId + ", state=" + this.state
				+ "]";
	}

	/**
	 * Where a binding stands.
	 */
	public enum State {

		/** The record is written; the Redis user may or may not exist yet. */
		CREATING,
		/** The Redis user exists and the credentials were handed out. */
		CREATED

	}

}
