package io.github.redisonmesos.localplatform;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.redisonmesos.localplatform.RunningPlatform.consulIndex;
import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;

class BlockingQueryTests {

	@RegisterExtension
	static final PlatformExtension platform = PlatformExtension.perClass();

	@Test
	void kvQueryWaitsWhileNothingChanges() {
		platform.consul("PUT", "/v1/kv/quiet", "1");
		long index = consulIndex(platform.consul("GET", "/v1/kv/quiet", null));
		long started = System.nanoTime();
		HttpResponse<String> response = platform.consul("GET", "/v1/kv/quiet?index=" + index + "&wait=1s", null);
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(950)).isLessThan(Duration.ofSeconds(4));
		assertThat(consulIndex(response)).isEqualTo(index);
	}

	@Test
	void kvQueryReturnsSoonAfterAChange() throws Exception {
		platform.consul("PUT", "/v1/kv/watched", "before");
		long index = consulIndex(platform.consul("GET", "/v1/kv/watched", null));
		CompletableFuture<HttpResponse<String>> pending = CompletableFuture
			.supplyAsync(() -> platform.consul("GET", "/v1/kv/watched?index=" + index + "&wait=30s", null));
		assertThat(pending).isNotDone();
		platform.consul("PUT", "/v1/kv/watched", "after");
		HttpResponse<String> response = pending.get(5, TimeUnit.SECONDS);
		assertThat(consulIndex(response)).isGreaterThan(index);
		assertThat(json(response).get(0).get("Value").asText()).isEqualTo("YWZ0ZXI=");
	}

	@Test
	void unrelatedWritesDoNotWakeAServiceWatcher() throws Exception {
		register("watched-service", "w1", 7001);
		long index = consulIndex(platform.consul("GET", "/v1/health/service/watched-service?passing", null));
		CompletableFuture<HttpResponse<String>> pending = CompletableFuture.supplyAsync(() -> platform.consul("GET",
				"/v1/health/service/watched-service?passing&index=" + index + "&wait=30s", null));
		register("other-service", "o1", 7002);
		platform.consul("PUT", "/v1/kv/noise", "x");
		assertThat(pending).isNotDone();
		register("watched-service", "w2", 7003);
		HttpResponse<String> response = pending.get(5, TimeUnit.SECONDS);
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

}
