package io.github.redisonmesos.localplatform;

import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.redisonmesos.testsupport.EndToEnd;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.redisonmesos.localplatform.RunningPlatform.consulIndex;
import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many clients at once, as the broker and several counter apps are: 50 blocking queries
 * (KV keys and a service) while KV writes, app restarts and Marathon reads go on. Nothing
 * deadlocks, and every watcher ends with the final index and content of what it watches.
 */
@EndToEnd
class ConcurrencyTests {

	private static final int KEYS = 5;

	private static final int KV_WATCHERS = 25;

	private static final int SERVICE_WATCHERS = 25;

	private static final int WRITES_PER_KEY = 20;

	private static final int RESTARTS = 5;

	private static final String APP = "/conc/app";

	private static final String SERVICE = "/v1/health/service/conc?passing";

	@RegisterExtension
	static final PlatformExtension platform = PlatformExtension.perClass();

	// What each watcher saw last: its path, index and body.
	private final Map<Integer, Watched> seen = new ConcurrentHashMap<>();

	private final AtomicInteger answers = new AtomicInteger();

	private final AtomicInteger backwards = new AtomicInteger();

	@Test
	void fiftyBlockingQueriesKvWritesAndRestartsFinishWithoutDeadlockAndEveryWatcherSeesTheFinalIndex()
			throws Exception {
		platform.marathon("POST", "/v2/apps",
				"{\"id\": \"" + APP + "\", \"cmd\": \"exec sleep 300\", \"labels\": {\"consul\": \"conc\"}}");
		await().atMost(Duration.ofSeconds(15)).until(() -> json(platform.consul("GET", SERVICE, null)).size() == 1);
		for (int k = 0; k < KEYS; k++) {
			platform.consul("PUT", key(k), "0");
		}
		ExecutorService pool = Executors.newFixedThreadPool(KV_WATCHERS + SERVICE_WATCHERS + KEYS + 1);
		long started = System.nanoTime();
		try {
			for (int i = 0; i < KV_WATCHERS + SERVICE_WATCHERS; i++) {
				int slot = i;
				String path = (i < KV_WATCHERS) ? key(i % KEYS) : SERVICE;
				pool.submit(() -> watch(slot, path));
			}
			BlockingQueryTests.awaitWaiting(platform.running(), KV_WATCHERS + SERVICE_WATCHERS);

			List<Future<?>> writers = new ArrayList<>();
			for (int k = 0; k < KEYS; k++) {
				String path = key(k);
				writers.add(pool.submit(() -> {
					for (int n = 1; n <= WRITES_PER_KEY; n++) {
						assertThat(platform.consul("PUT", path, Integer.toString(n)).body()).isEqualTo("true");
					}
				}));
			}
			writers.add(pool.submit(() -> {
				for (int n = 0; n < RESTARTS; n++) {
					assertThat(platform.marathon("POST", "/v2/apps" + APP + "/restart?force=true", null).statusCode())
						.isEqualTo(200);
					// Marathon reads from snapshots meanwhile.
					assertThat(platform.marathon("GET", "/v2/apps?embed=apps.tasks", null).statusCode()).isEqualTo(200);
					assertThat(platform.marathon("GET", "/v2/deployments", null).statusCode()).isEqualTo(200);
				}
			}));
			for (Future<?> writer : writers) {
				writer.get(60, TimeUnit.SECONDS);
			}
			JsonNode app = await().atMost(Duration.ofSeconds(30))
				.until(() -> json(platform.marathon("GET", "/v2/apps" + APP, null)).get("app"),
						(view) -> view.get("deployments").isEmpty() && view.get("tasks").size() == 1);
			String finalTask = app.at("/tasks/0/id").asText();
			await().atMost(Duration.ofSeconds(15)).until(() -> {
				JsonNode instances = json(platform.consul("GET", SERVICE, null));
				return instances.size() == 1 && instances.at("/0/Service/ID").asText().startsWith(finalTask);
			});
			Map<String, Long> finalIndexes = new HashMap<>();
			for (int k = 0; k < KEYS; k++) {
				finalIndexes.put(key(k), consulIndex(platform.consul("GET", key(k), null)));
			}
			finalIndexes.put(SERVICE, consulIndex(platform.consul("GET", SERVICE, null)));

			// Watchers wait 60 s per query: only a wake-up by the change brings them here
			// in time.
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(this.seen).hasSize(KV_WATCHERS + SERVICE_WATCHERS);
				for (Watched watched : this.seen.values()) {
					assertThat(watched.index()).as("last index seen on %s", watched.path())
						.isGreaterThanOrEqualTo(finalIndexes.get(watched.path()));
					if (watched.path().equals(SERVICE)) {
						assertThat(watched.body().at("/0/Service/ID").asText()).startsWith(finalTask);
					}
					else {
						assertThat(watched.body().at("/0/Value").asText()).isEqualTo(Base64.getEncoder()
							.encodeToString(Integer.toString(WRITES_PER_KEY).getBytes(StandardCharsets.UTF_8)));
					}
				}
			});
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.backwards).as("answers whose index went backwards").hasValue(0);
		long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
		assertThat(deadlocked).as("deadlocked threads").isNull();
		System.out.printf("concurrency: %d watchers, %d KV writes, %d restarts, %d blocking answers in %d ms%n",
				KV_WATCHERS + SERVICE_WATCHERS, KEYS * WRITES_PER_KEY, RESTARTS, this.answers.get(),
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
	}

	/**
	 * A client's watch loop: blocking queries, each from the index of the last answer,
	 * until the test ends it.
	 */
	private void watch(int slot, String path) {
		String separator = path.contains("?") ? "&" : "?";
		HttpResponse<String> response = platform.consul("GET", path, null);
		long index = consulIndex(response);
		this.seen.put(slot, new Watched(path, index, json(response)));
		while (!Thread.currentThread().isInterrupted()) {
			response = platform.consul("GET", path + separator + "index=" + index + "&wait=60s", null);
			long next = consulIndex(response);
			if (next < index) {
				this.backwards.incrementAndGet();
			}
			index = next;
			this.seen.put(slot, new Watched(path, index, json(response)));
			this.answers.incrementAndGet();
		}
	}

	private static String key(int k) {
		return "/v1/kv/conc/k" + k;
	}

	private record Watched(String path, long index, JsonNode body) {

	}

}
