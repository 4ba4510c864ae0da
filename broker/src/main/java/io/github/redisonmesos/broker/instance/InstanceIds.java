package io.github.redisonmesos.broker.instance;

import java.util.regex.Pattern;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerInvalidParametersException;

/**
 * Instance ids become part of a Marathon app id and of Consul keys, so only names
 * Marathon accepts for a path segment are allowed (CF's GUIDs are).
 */
public final class InstanceIds {

	private static final Pattern MARATHON_SEGMENT = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");

	private InstanceIds() {
	}

	/**
	 * Check an instance id.
	 * @param instanceId the id from the request path
	 * @return the id
	 */
	public static String require(String instanceId) {
		if (instanceId == null || !MARATHON_SEGMENT.matcher(instanceId).matches()) {
			throw new ServiceBrokerInvalidParametersException("Instance id '" + instanceId
					+ "' cannot name a Marathon app: use lower-case letters, digits, '-' and '.' only (a GUID works).");
		}
		return instanceId;
	}

}
