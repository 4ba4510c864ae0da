package io.github.redisonmesos.broker.component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operation polled as the platform polls it, until it succeeded (a failure fails the
 * test with its description), keeping what {@code last_operation} said along the way.
 */
final class LastOperations {

	private LastOperations() {
	}

	/**
	 * Poll until the operation succeeded, printing when each new description appeared.
	 * @param api the broker
	 * @param instanceId the instance
	 * @param operation the operation token, e.g. {@code update}
	 * @param bound how long it may take
	 * @param writer the app writing meanwhile, whose clock the timeline uses
	 * @return each description, in the order they appeared, the last one the success's
	 */
	static List<String> untilSucceeded(BrokerApi api, String instanceId, String operation, Duration bound,
			AcknowledgedWriter writer) {
		Set<String> descriptions = new LinkedHashSet<>();
		List<String> timeline = new ArrayList<>();
		await().atMost(bound).pollInterval(Duration.ofMillis(500)).until(() -> {
			JsonNode poll = api
				.call(HttpMethod.GET, "/v2/service_instances/" + instanceId + "/last_operation?operation=" + operation,
						null)
				.getBody();
			if (descriptions.add(poll.path("description").asText())) {
				timeline.add(writer.elapsedMillis() + " ms: " + poll.path("description").asText());
			}
			assertThat(poll.path("state").asText()).as(poll.path("description").asText()).isNotEqualTo("failed");
			return "succeeded".equals(poll.path("state").asText());
		});
		timeline.forEach((description) -> System.out.println("  last_operation at " + description));
		return List.copyOf(descriptions);
	}

}
