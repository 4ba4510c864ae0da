package io.github.redisonmesos.broker.marathon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.web.client.HttpClientErrorException;

/**
 * Waits out Marathon's 409 "App is locked by one or more deployments". Such a lock is
 * usually short (a deployment that removes the previous app of a re-provisioned instance,
 * or one that is just finishing), so a request retries for a bounded time before it
 * answers with a concurrency error that tells the platform to retry.
 */
class DeploymentLock {

	private static final Logger logger = LoggerFactory.getLogger(DeploymentLock.class);

	private static final ObjectMapper OBJECT_MAPPER = new ObjectMapper();

	private static final Duration FIRST_PAUSE = Duration.ofMillis(100);

	private static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);

	private final Duration limit;

	private final Clock clock;

	private final Sleeper sleeper;

	DeploymentLock(Duration limit, Clock clock, Sleeper sleeper) {
		this.limit = limit;
		this.clock = clock;
		this.sleeper = sleeper;
	}

	/**
	 * Run a call, repeating it while Marathon answers that the app is locked.
	 * @param <T> the result type
	 * @param appId the app the call changes
	 * @param call the call; a 409 for another reason is thrown on unchanged
	 * @return the call's result
	 * @throws ServiceBrokerConcurrencyException when the app stays locked
	 */
	<T> T waitOut(String appId, Supplier<T> call) {
		Instant deadline = this.clock.instant().plus(this.limit);
		Duration pause = FIRST_PAUSE;
		while (true) {
			try {
				return call.get();
			}
			catch (HttpClientErrorException.Conflict ex) {
				JsonNode body = body(ex);
				if (!isLocked(body)) {
					throw ex;
				}
				Duration left = Duration.between(this.clock.instant(), deadline);
				if (left.isNegative() || left.isZero()) {
					throw stillLocked(appId, body);
				}
				Duration next = (pause.compareTo(left) < 0) ? pause : left;
				logger.info("event=marathon_app_locked app_id={} deployments={} retry_in_ms={}", appId,
						deploymentIds(body), next.toMillis());
				pauseFor(appId, next, body);
				pause = (pause.multipliedBy(2).compareTo(LONGEST_PAUSE) < 0) ? pause.multipliedBy(2) : LONGEST_PAUSE;
			}
		}
	}

	// Marathon answers "locked" with a deployments array (POST, PUT) or, on PATCH, with
	// the message alone; "An app with id [/x] already exists." has neither
	static boolean isLocked(JsonNode body) {
		return body.path("deployments").isArray() || body.path("message").asText("").startsWith("App is locked");
	}

	private void pauseFor(String appId, Duration pause, JsonNode body) {
		try {
			this.sleeper.sleep(pause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw stillLocked(appId, body);
		}
	}

	private ServiceBrokerConcurrencyException stillLocked(String appId, JsonNode body) {
		String message = body.path("message").asText("App is locked by one or more deployments.");
		// Marathon's advice to override with ?force=true is for Marathon's users, not the
		// platform's: keep its first sentence only
		int end = message.indexOf(". ");
		String reason = (end >= 0) ? message.substring(0, end + 1) : message;
		return new ServiceBrokerConcurrencyException("Marathon app " + appId
				+ " is locked by a deployment in progress (" + reason + " deployments=" + deploymentIds(body)
				+ ", still locked after " + this.limit.toMillis() + " ms); retry once the deployment has finished.");
	}

	private static String deploymentIds(JsonNode body) {
		return body.path("deployments").findValuesAsText("id").toString();
	}

	/**
	 * Marathon's error body ({@code {"message", "deployments"?}}).
	 * @param ex a 4xx answer
	 * @return the body, a missing node when it is not JSON
	 */
	static JsonNode body(HttpClientErrorException ex) {
		try {
			return OBJECT_MAPPER.readTree(ex.getResponseBodyAsString());
		}
		catch (JsonProcessingException unreadable) {
			return MissingNode.getInstance();
		}
	}

	/**
	 * Pauses between attempts; tests move a clock instead of waiting.
	 */
	@FunctionalInterface
	interface Sleeper {

		Sleeper THREAD = (pause) -> Thread.sleep(pause.toMillis());

		void sleep(Duration pause) throws InterruptedException;

	}

}
