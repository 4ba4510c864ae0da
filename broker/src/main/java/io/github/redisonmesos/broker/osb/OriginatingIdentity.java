package io.github.redisonmesos.broker.osb;

import java.util.Map;
import java.util.Objects;

import org.springframework.cloud.servicebroker.model.Context;

/**
 * Renders the decoded {@code X-Broker-API-Originating-Identity} header for a log line.
 */
public final class OriginatingIdentity {

	private OriginatingIdentity() {
	}

	/**
	 * Describe who asked for an operation.
	 * @param identity the decoded header, or {@code null} when absent
	 * @return e.g. {@code originating_identity=cloudfoundry/user_id=683ea748}
	 */
	public static String describe(Context identity) {
		if (identity == null) {
			return "originating_identity=none";
		}
		Map<String, Object> properties = identity.getProperties();
		Object user = (properties != null) ? properties.get("user_id") : null;
		return "originating_identity=" + identity.getPlatform() + "/user_id=" + Objects.toString(user, "unknown");
	}

}
