package io.github.redisonmesos.localplatform;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.testsupport.EndToEnd;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.redisonmesos.localplatform.RunningPlatform.consulIndex;
import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consul's blocking queries (fixtures consul/SEMANTICS.md): a query with the current
 * index waits until its own resource changes, whatever else changes meanwhile. Whether a
 * query waits is read from the platform's {@code local.platform.consul.waiting} metric,
 * and every write below has answered before the assertion that follows it, so no
 * assertion depends on timing.
 */
@EndToEnd
class BlockingQueryTests {

	@RegisterExtension
	static final PlatformExtension platform = PlatformExtension.perClass();

	@BeforeEach
	void noQueryWaitsYet() {
		awaitWaiting(0);
	}

	@Test
	void kvQueryWaitsThroughOtherWritesAndAnswersTheNewIndexAfterAWriteToItsKey() throws Exception {
		platform.consul("PUT", "/v1/kv/watched", "before");
		long index = consulIndex(platform.consul("GET", "/v1/kv/watched", null));
		CompletableFuture<HttpResponse<String>> pending = CompletableFuture
			.supplyAsync(() -> platform.consul("GET", "/v1/kv/watched?index=" + index + "&wait=60s", null));
		awaitWaiting(1);

		platform.consul("PUT", "/v1/kv/watched-not", "noise");
		platform.consul("PUT", "/v1/kv/other/watched", "noise");
		assertThat(waiting()).isEqualTo(1);
		assertThat(pending).isNotDone();

		platform.consul("PUT", "/v1/kv/watched", "after");
		HttpResponse<String> response = pending.get(10, TimeUnit.SECONDS);
		assertThat(consulIndex(response)).isGreaterThan(index);
		assertThat(json(response).get(0).get("Value").asText()).isEqualTo("YWZ0ZXI=");
		assertThat(waiting()).isZero();
	}

	@Test
	void kvQueryThatSeesNoChangeAnswersItsOwnIndexWhenTheWaitEnds() {
		platform.consul("PUT", "/v1/kv/quiet", "1");
		HttpResponse<String> current = platform.consul("GET", "/v1/kv/quiet", null);
		HttpResponse<String> response = platform.consul("GET",
				"/v1/kv/quiet?index=" + consulIndex(current) + "&wait=1s", null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(consulIndex(response)).isEqualTo(consulIndex(current));
		assertThat(response.body()).isEqualTo(current.body());
	}

	@Test
	void queryWithAnIndexThatIsNotCurrentAnswersAtOnce() {
		platform.consul("PUT", "/v1/kv/moved-on", "1");
		long first = consulIndex(platform.consul("GET", "/v1/kv/moved-on", null));
		platform.consul("PUT", "/v1/kv/moved-on", "2");
		// With a 10 minute wait, only an immediate answer fits the client's 30 s timeout.
		HttpResponse<String> response = platform.consul("GET", "/v1/kv/moved-on?index=" + first + "&wait=10m", null);
		assertThat(consulIndex(response)).isGreaterThan(first);
	}

	@Test
	void prefixQueryWakesWhenAKeyUnderItIsDeleted() throws Exception {
		platform.consul("PUT", "/v1/kv/tree/a", "1");
		platform.consul("PUT", "/v1/kv/tree/b", "2");
		long index = consulIndex(platform.consul("GET", "/v1/kv/tree/?recurse", null));
		CompletableFuture<HttpResponse<String>> pending = CompletableFuture
			.supplyAsync(() -> platform.consul("GET", "/v1/kv/tree/?recurse&index=" + index + "&wait=60s", null));
		awaitWaiting(1);
		platform.consul("DELETE", "/v1/kv/tree/a", null);
		HttpResponse<String> response = pending.get(10, TimeUnit.SECONDS);
		assertThat(consulIndex(response)).isGreaterThan(index);
		assertThat(json(response).findValuesAsText("Key")).containsExactly("tree/b");
	}

	@Test
	void serviceQueryWaitsThroughOtherServicesAndKvAndAnswersWhenItsServiceChanges() throws Exception {
		register("watched-service", "w1", 7001);
		long index = consulIndex(platform.consul("GET", "/v1/health/service/watched-service?passing", null));
		CompletableFuture<HttpResponse<String>> pending = CompletableFuture.supplyAsync(() -> platform.consul("GET",
				"/v1/health/service/watched-service?passing&index=" + index + "&wait=60s", null));
		awaitWaiting(1);

		register("other-service", "o1", 7002);
		platform.consul("PUT", "/v1/kv/noise", "x");
		assertThat(waiting()).isEqualTo(1);
		assertThat(pending).isNotDone();

		register("watched-service", "w2", 7003);
		HttpResponse<String> response = pending.get(10, TimeUnit.SECONDS);
		assertThat(consulIndex(response)).isGreaterThan(index);
		assertThat(json(response).findValuesAsText("ID")).contains("w1", "w2");
	}

	@Test
	void indexIsNeverBelowOneEvenForAnUnknownService() {
		HttpResponse<String> response = platform.consul("GET", "/v1/health/service/nobody?passing", null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("[]");
		assertThat(consulIndex(response)).isPositive();
	}

	private static void register(String service, String id, int port) {
		String body = """
				{"Node": "local-platform", "Address": "127.0.0.1", "SkipNodeUpdate": true,
				 "Service": {"ID": "%s", "Service": "%s", "Address": "127.0.0.1", "Port": %d},
				 "Check": {"CheckID": "service:%s", "Name": "check", "Status": "passing", "ServiceID": "%s"}}
				""".formatted(id, service, port, id, id);
		assertThat(platform.consul("PUT", "/v1/catalog/register", body).body()).isEqualTo("true");
	}

	private static void awaitWaiting(int count) {
		awaitWaiting(platform.running(), count);
	}

	static void awaitWaiting(RunningPlatform running, int count) {
		await().atMost(Duration.ofSeconds(10)).until(() -> waiting(running), (waiting) -> waiting == count);
	}

	/**
	 * How many blocking queries the platform holds, from its metric.
	 */
	private static int waiting() {
		return waiting(platform.running());
	}

	static int waiting(RunningPlatform running) {
		HttpResponse<String> metric = running.marathon("GET", "/actuator/metrics/local.platform.consul.waiting", null);
		assertThat(metric.statusCode()).isEqualTo(200);
		return json(metric).at("/measurements/0/value").asInt();
	}

}
