package io.github.redisonmesos.broker.marathon;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Marathon operations the broker needs. Unreachable Marathon or a 5xx answer surfaces
 * as
 * {@link org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException};
 * an app that stays locked by a deployment for longer than
 * {@code broker.marathon.locked-wait} as
 * {@link org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException}.
 */
public interface MarathonClient {

	/**
	 * Create an app ({@code POST /v2/apps}); an app that already exists with this id is
	 * left as it is, since the id is derived from the instance id.
	 * @param app the app definition
	 */
	void createApp(JsonNode app);

	/**
	 * Replace an app's definition ({@code PUT /v2/apps/:appId}).
	 * @param appId the app id
	 * @param app the new definition
	 */
	void updateApp(String appId, JsonNode app);

	/**
	 * Destroy an app ({@code DELETE /v2/apps/:appId}); a missing app is not an error.
	 * @param appId the app id
	 */
	void deleteApp(String appId);

	/**
	 * Read an app's status.
	 * @param appId the app id
	 * @return the status, empty when Marathon answers 404
	 */
	Optional<AppStatus> app(String appId);

	/**
	 * Check that Marathon answers; used by the health indicator.
	 */
	void ping();

}
