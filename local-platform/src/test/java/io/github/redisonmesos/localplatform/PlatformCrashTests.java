package io.github.redisonmesos.localplatform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.redisonmesos.testsupport.EndToEnd;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import static io.github.redisonmesos.localplatform.RunningPlatform.consulIndex;
import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The platform killed with SIGKILL in the middle of KV writes and app changes, then
 * started again on the same state directory: the platform runs in a JVM of its own here,
 * so the kill is a real one.
 */
@EndToEnd
class PlatformCrashTests {

	private static final Pattern READY = Pattern.compile("platform\\.ready marathonUrl=(\\S+) consulUrl=(\\S+)");

	private static final int WRITERS = 4;

	private static final String APP = RedisAppLifecycleTests.APP;

	@TempDir
	Path stateDir;

	@TempDir
	Path logs;

	private final List<Process> platforms = new ArrayList<>();

	@AfterEach
	void stopPlatformsAndTheirTasks() throws Exception {
		for (Process platform : this.platforms) {
			platform.destroy();
			if (!platform.waitFor(20, TimeUnit.SECONDS)) {
				platform.destroyForcibly();
			}
		}
		// Whatever a crashed platform left and no later one swept.
		try (Stream<Path> pids = Files.exists(this.stateDir.resolve("pids")) ? Files.list(this.stateDir.resolve("pids"))
				: Stream.empty()) {
			pids.forEach((file) -> ProcessHandle.of(Long.parseLong(read(file).split(" ")[0]))
				.ifPresent(ProcessHandle::destroyForcibly));
		}
	}

	@Test
	void killedMidWriteItRestartsWithAppsKvAndVolumesIntactNoOrphanAndNoIndexGoingBack() throws Exception {
		Urls first = start("first");
		assertThat(RunningPlatform
			.send("POST", first.marathon() + "/v2/apps", RunningPlatform.resource("redis-app.json").toString())
			.statusCode()).isEqualTo(201);
		int firstPort = awaitPassingRedis(first, null);
		try (Jedis jedis = RedisAppLifecycleTests.jedis(firstPort)) {
			jedis.configSet("appendfsync", "always");
			jedis.set("counter", "41");
		}
		long orphanPid = taskPid(first);

		AtomicLongArray acknowledged = new AtomicLongArray(WRITERS);
		// Per key: the highest X-Consul-Index a reader saw; none may be higher after the
		// restart.
		AtomicLongArray highestIndex = new AtomicLongArray(WRITERS);
		AtomicInteger appChanges = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
		List<Future<?>> clients = new ArrayList<>();
		for (int w = 0; w < WRITERS; w++) {
			int writer = w;
			clients.add(pool.submit(() -> {
				for (long n = 1;; n++) {
					HttpResponse<String> written = RunningPlatform.send("PUT",
							first.consul() + "/v1/kv/crash/w" + writer, Long.toString(n));
					assertThat(written.body()).isEqualTo("true");
					acknowledged.set(writer, n);
					HttpResponse<String> read = RunningPlatform.send("GET", first.consul() + "/v1/kv/crash/w" + writer,
							null);
					highestIndex.accumulateAndGet(writer, consulIndex(read), Math::max);
				}
			}));
		}
		clients.add(pool.submit(() -> {
			for (int n = 0;; n++) {
				RunningPlatform.send("PUT", first.marathon() + "/v2/apps/crash/other?force=true",
						"{\"cmd\": \"exec sleep 300\", \"instances\": 0, \"env\": {\"N\": \"" + n + "\"}}");
				appChanges.incrementAndGet();
			}
		}));
		await().atMost(Duration.ofSeconds(30)).until(() -> sum(acknowledged) >= 200 && appChanges.get() >= 10);

		this.platforms.get(0).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		long killedAfterWrites = sum(acknowledged);
		for (Future<?> client : clients) {
			// Each client stops on the refused connection of the dead platform.
			assertThat(client).failsWithin(Duration.ofSeconds(35));
		}
		pool.shutdownNow();
		assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false))
			.as("the task outlived the killed platform")
			.isTrue();

		Urls second = start("second");
		await().atMost(Duration.ofSeconds(15))
			.until(() -> !ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false));
		long highestOverall = 0;
		for (int w = 0; w < WRITERS; w++) {
			HttpResponse<String> stored = RunningPlatform.send("GET", second.consul() + "/v1/kv/crash/w" + w + "?raw",
					null);
			assertThat(stored.statusCode()).isEqualTo(200);
			assertThat(Long.parseLong(stored.body())).as("writer %d's last acknowledged write", w)
				.isGreaterThanOrEqualTo(acknowledged.get(w));
			assertThat(consulIndex(stored)).as("index of key %d", w).isGreaterThanOrEqualTo(highestIndex.get(w));
			highestOverall = Math.max(highestOverall, highestIndex.get(w));
		}
		assertThat(consulIndex(RunningPlatform.send("GET", second.consul() + "/v1/health/service/nothing", null)))
			.as("a new catalog index")
			.isGreaterThan(highestOverall);
		assertThat(RunningPlatform.send("GET", second.marathon() + "/v2/apps/crash/other", null).statusCode())
			.isEqualTo(200);
		int secondPort = awaitPassingRedis(second, null);
		try (Jedis jedis = RedisAppLifecycleTests.jedis(secondPort)) {
			assertThat(jedis.get("counter")).isEqualTo("41");
		}
		JsonNode tasks = json(RunningPlatform.send("GET", second.marathon() + "/v2/apps" + APP + "/tasks", null));
		assertThat(tasks.get("tasks")).hasSize(1);
		try (Stream<Path> pids = Files.list(this.stateDir.resolve("pids"))) {
			assertThat(pids).as("PID files: only the new task's").hasSize(1);
		}
		System.out.printf("crash: killed after %d acknowledged KV writes and %d app changes; all found after restart%n",
				killedAfterWrites, appChanges.get());
	}

	@Test
	void withExitWithParentItStopsAndStopsItsTasksOnceItsStandardInputEnds() throws Exception {
		Urls urls = start("watched", "--local-platform.exit-with-parent=true");
		Process platform = this.platforms.get(this.platforms.size() - 1);
		assertThat(RunningPlatform
			.send("POST", urls.marathon() + "/v2/apps", RunningPlatform.resource("redis-app.json").toString())
			.statusCode()).isEqualTo(201);
		awaitPassingRedis(urls, null);
		long taskPid = taskPid(urls);

		// what the end of the process that started it does to the pipe
		platform.getOutputStream().close();

		assertThat(platform.waitFor(30, TimeUnit.SECONDS)).as("the platform exited").isTrue();
		assertThat(ProcessHandle.of(taskPid).filter(ProcessHandle::isAlive)).as("its Redis task").isEmpty();
		assertThat(Files.readString(this.logs.resolve("watched.log"))).contains("platform.parent-gone");
	}

	/**
	 * Starts the platform in a JVM of its own on free ports.
	 */
	private Urls start(String name, String... arguments) throws IOException {
		Path log = this.logs.resolve(name + ".log");
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(
				List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
						LocalPlatformApplication.class.getName(), "--local-platform.marathon-port=0",
						"--local-platform.consul-port=0", "--local-platform.libstorage-port=0",
						"--local-platform.state-dir=" + this.stateDir, "--local-platform.supervision-interval=100ms",
						"--local-platform.s3.enabled=false", RunningPlatform.taskPortArguments(this.stateDir).get(0),
						RunningPlatform.taskPortArguments(this.stateDir).get(1)));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		this.platforms.add(process);
		// as long as the scripts give a JVM to start (STARTUP_BOUND): 60 s ran out at
		// load 38
		Matcher ready = await().atMost(Duration.ofSeconds(180)).until(() -> {
			assertThat(process.isAlive()).as("platform %s alive, log %s", name, log).isTrue();
			return READY.matcher(Files.readString(log));
		}, Matcher::find);
		return new Urls(ready.group(1), ready.group(2));
	}

	private static int awaitPassingRedis(Urls urls, Integer notOnPort) {
		return await().atMost(Duration.ofSeconds(30)).until(() -> {
			JsonNode instances = json(RunningPlatform.send("GET",
					urls.consul() + "/v1/health/service/" + RedisAppLifecycleTests.SERVICE + "?passing", null));
			return (instances.size() == 1) ? instances.at("/0/Service/Port").asInt() : -1;
		}, (port) -> port > 0 && !port.equals(notOnPort));
	}

	private long taskPid(Urls urls) {
		JsonNode tasks = json(RunningPlatform.send("GET", urls.marathon() + "/v2/apps" + APP + "/tasks", null));
		String taskId = tasks.at("/tasks/0/id").asText();
		return Long.parseLong(read(this.stateDir.resolve("pids").resolve(taskId + ".pid")).split(" ")[0]);
	}

	private static long sum(AtomicLongArray counts) {
		long sum = 0;
		for (int i = 0; i < counts.length(); i++) {
			sum += counts.get(i);
		}
		return sum;
	}

	private static String read(Path file) {
		try {
			return Files.readString(file).trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private record Urls(String marathon, String consul) {

	}

}
