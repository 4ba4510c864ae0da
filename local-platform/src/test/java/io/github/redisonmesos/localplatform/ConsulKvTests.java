package io.github.redisonmesos.localplatform;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.redisonmesos.testsupport.EndToEnd;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;

@EndToEnd
class ConsulKvTests {

	@RegisterExtension
	static final PlatformExtension platform = PlatformExtension.perClass();

	@Test
	void concurrentCreatesWithCasZeroHaveExactlyOneWinner() throws Exception {
		int writers = 16;
		CountDownLatch go = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(writers);
		try {
			List<Future<String>> answers = new ArrayList<>();
			for (int i = 0; i < writers; i++) {
				String value = "writer-" + i;
				Callable<String> put = () -> {
					go.await();
					return platform.consul("PUT", "/v1/kv/race/instance?cas=0", value).body().trim();
				};
				answers.add(pool.submit(put));
			}
			go.countDown();
			List<String> results = new ArrayList<>();
			for (Future<String> answer : answers) {
				results.add(answer.get());
			}
			assertThat(results).containsOnly("true", "false");
			assertThat(results).filteredOn("true"::equals).hasSize(1);
		}
		finally {
			pool.shutdownNow();
		}
		String stored = platform.consul("GET", "/v1/kv/race/instance?raw", null).body();
		assertThat(stored).startsWith("writer-");
	}

	@Test
	void casUpdateSucceedsOnlyWithTheCurrentModifyIndex() {
		assertThat(platform.consul("PUT", "/v1/kv/cas/key?cas=0", "v1").body()).isEqualTo("true");
		JsonNode entry = json(platform.consul("GET", "/v1/kv/cas/key", null)).get(0);
		long modifyIndex = entry.get("ModifyIndex").asLong();
		assertThat(platform.consul("PUT", "/v1/kv/cas/key?cas=0", "again").body()).isEqualTo("false");
		assertThat(platform.consul("PUT", "/v1/kv/cas/key?cas=" + modifyIndex, "v2").body()).isEqualTo("true");
		assertThat(platform.consul("PUT", "/v1/kv/cas/key?cas=" + modifyIndex, "stale").body()).isEqualTo("false");
		JsonNode updated = json(platform.consul("GET", "/v1/kv/cas/key", null)).get(0);
		assertThat(decode(updated)).isEqualTo("v2");
		assertThat(updated.get("CreateIndex").asLong()).isEqualTo(entry.get("CreateIndex").asLong());
		assertThat(updated.get("ModifyIndex").asLong()).isGreaterThan(modifyIndex);
	}

	@Test
	void recurseKeysAndDeleteWorkOnPrefixes() {
		platform.consul("PUT", "/v1/kv/tree/a", "1");
		platform.consul("PUT", "/v1/kv/tree/b/c", "2");
		platform.consul("PUT", "/v1/kv/other", "3");
		JsonNode listed = json(platform.consul("GET", "/v1/kv/tree/?recurse", null));
		assertThat(listed.findValuesAsText("Key")).containsExactly("tree/a", "tree/b/c");
		JsonNode keys = json(platform.consul("GET", "/v1/kv/tree/?keys&separator=/", null));
		assertThat(keys.toString()).isEqualTo("[\"tree/a\",\"tree/b/\"]");
		assertThat(platform.consul("DELETE", "/v1/kv/tree/?recurse", null).body()).isEqualTo("true");
		assertThat(platform.consul("GET", "/v1/kv/tree/?recurse", null).statusCode()).isEqualTo(404);
		assertThat(platform.consul("GET", "/v1/kv/other?raw", null).body()).isEqualTo("3");
	}

	@Test
	void deleteWithCasNeedsTheCurrentIndexAndZeroNeverDeletes() {
		platform.consul("PUT", "/v1/kv/del/key", "x");
		long index = json(platform.consul("GET", "/v1/kv/del/key", null)).get(0).get("ModifyIndex").asLong();
		assertThat(platform.consul("DELETE", "/v1/kv/del/key?cas=0", null).body()).isEqualTo("false");
		assertThat(platform.consul("DELETE", "/v1/kv/del/key?cas=" + index, null).body()).isEqualTo("true");
		HttpResponse<String> missing = platform.consul("GET", "/v1/kv/del/key", null);
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(RunningPlatform.consulIndex(missing)).isPositive();
	}

	@Test
	void lockAcquireIsRefusedBecauseSessionsAreNotEmulated() {
		HttpResponse<String> response = platform.consul("PUT", "/v1/kv/locked?acquire=some-session", "x");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("not emulated");
		assertThat(platform.consul("GET", "/v1/kv/locked", null).statusCode()).isEqualTo(404);
	}

	private static String decode(JsonNode entry) {
		return new String(Base64.getDecoder().decode(entry.get("Value").asText()), StandardCharsets.UTF_8);
	}

}
