package io.github.redisonmesos.broker.marathon;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.redisonmesos.broker.support.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DeploymentLockTests {

	private static final String LOCKED = "{\"message\":\"App is locked by one or more deployments. Override with "
			+ "the option '?force=true'. View details at '/v2/deployments/<DEPLOYMENT_ID>'.\","
			+ "\"deployments\":[{\"id\":\"97c136bf-5a28-4821-9d94-480d9fbb01c8\"}]}";

	private static final String LOCKED_ON_PATCH = "{\"message\":\"App is locked by one or more deployments.\"}";

	private static final String EXISTS = "{\"message\":\"An app with id [/existing_app] already exists.\"}";

	private final MutableClock clock = new MutableClock();

	private final List<Duration> pauses = new ArrayList<>();

	// pausing moves the clock instead of waiting
	private final DeploymentLock lock = new DeploymentLock(Duration.ofSeconds(5), this.clock, (pause) -> {
		this.pauses.add(pause);
		this.clock.advance(pause);
	});

	@Test
	void callThatSucceedsIsNotRepeated() {
		AtomicInteger attempts = new AtomicInteger();
		assertThat(this.lock.waitOut("/osb-redis/a", attempts::incrementAndGet)).isEqualTo(1);
		assertThat(this.pauses).isEmpty();
	}

	@Test
	void lockThatEndsIsWaitedOutWithGrowingPauses() {
		AtomicInteger attempts = new AtomicInteger();
		String result = this.lock.waitOut("/osb-redis/a", () -> {
			if (attempts.incrementAndGet() < 4) {
				throw conflict(LOCKED);
			}
			return "created";
		});
		assertThat(result).isEqualTo("created");
		assertThat(this.pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
	}

	@Test
	void lockThatOutlastsTheLimitIsAConcurrencyErrorSayingToRetry() {
		AtomicInteger attempts = new AtomicInteger();
		assertThatExceptionOfType(ServiceBrokerConcurrencyException.class)
			.isThrownBy(() -> this.lock.waitOut("/osb-redis/a", () -> {
				attempts.incrementAndGet();
				throw conflict(LOCKED);
			}))
			.withMessageContaining("Marathon app /osb-redis/a is locked by a deployment")
			.withMessageContaining("App is locked by one or more deployments.")
			.withMessageContaining("97c136bf-5a28-4821-9d94-480d9fbb01c8")
			.withMessageContaining("retry once the deployment has finished")
			.withMessageNotContaining("force=true");
		assertThat(this.pauses.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofSeconds(5));
		assertThat(this.pauses).allSatisfy((pause) -> assertThat(pause).isLessThanOrEqualTo(Duration.ofSeconds(1)));
		assertThat(attempts).hasValue(this.pauses.size() + 1);
	}

	@Test
	void lockAnsweredWithoutDeploymentsArrayIsRecognisedByItsMessage() {
		assertThat(DeploymentLock.isLocked(DeploymentLock.body(conflict(LOCKED_ON_PATCH)))).isTrue();
	}

	@Test
	void conflictForAnotherReasonIsPassedOnUnchanged() {
		HttpClientErrorException exists = conflict(EXISTS);
		assertThatExceptionOfType(HttpClientErrorException.Conflict.class)
			.isThrownBy(() -> this.lock.waitOut("/osb-redis/a", () -> {
				throw exists;
			}))
			.isSameAs(exists);
		assertThat(this.pauses).isEmpty();
	}

	private static HttpClientErrorException conflict(String body) {
		return HttpClientErrorException.create(HttpStatus.CONFLICT, "Conflict", new HttpHeaders(),
				body.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
	}

}
