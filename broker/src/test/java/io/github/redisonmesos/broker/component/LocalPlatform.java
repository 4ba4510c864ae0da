package io.github.redisonmesos.broker.component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.redisonmesos.testsupport.FreePorts;
import io.github.redisonmesos.testsupport.JavaJar;

import org.springframework.util.FileSystemUtils;

import static org.awaitility.Awaitility.await;

/**
 * local-platform's jar run as a process, as scripts/demo runs it: Marathon's and Consul's
 * APIs on free loopback ports, Marathon apps as real processes (a real redis-server).
 * <p>
 * Its agents offer a port range of their own ({@value #TASK_PORTS} ports from
 * {@link FreePorts#range}) instead of the default 31000-32000, so that platforms of test
 * classes running side by side, and the scripts' platforms, never hand out or require the
 * same port; each broker on it takes a slice of that range as its
 * {@code BROKER_MARATHON_REDIS_PORTS} ({@link #redisPorts(Class)}).
 */
public final class LocalPlatform implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Process process;

	private final int marathonPort;

	private final int consulPort;

	private final int libStoragePort;

	private final int s3Port;

	private final String scheme;

	private final HttpClient http;

	private final Path stateDir;

	private final Path log;

	/** How many ports the agents offer: a whole {@link FreePorts} block. */
	static final int TASK_PORTS = 250;

	/**
	 * How many of them {@link #redisPorts(Class)} gives each test class on a platform of
	 * its own.
	 */
	static final int REDIS_PORTS = 50;

	/**
	 * How many test classes the shared platform gives a slice of
	 * {@code TASK_PORTS / SHARED_CLASSES} ports (20: the most one class held in a run was
	 * 14, RestoreLocalPlatformTests): eleven end-to-end classes and
	 * MarathonRedisDeployerContractTests today.
	 */
	static final int SHARED_CLASSES = 12;

	private final int taskPortMin;

	private final int sliceSize;

	/** Whether several test classes use this platform: {@link #shared()}. */
	private final boolean isShared;

	private final Map<Class<?>, Ports> redisSlices = new HashMap<>();

	private static LocalPlatform shared;

	public LocalPlatform(Path stateDir) throws IOException {
		this(stateDir, List.of(), null);
	}

	/**
	 * A platform started with more settings.
	 * @param stateDir its state directory
	 * @param settings more arguments, such as
	 * {@code --local-platform.libstorage-remove-disabled=true}
	 * @throws IOException when it cannot start
	 */
	public LocalPlatform(Path stateDir, String... settings) throws IOException {
		this(stateDir, List.of(settings), null);
	}

	/**
	 * A platform with extra settings.
	 * @param stateDir its state directory
	 * @param arguments further {@code --name=value} settings, e.g. HTTPS or Marathon's
	 * credentials
	 * @param ssl the client context that trusts the platform's certificate when the
	 * arguments make it serve HTTPS; {@code null} for plain HTTP
	 * @throws IOException when it cannot start
	 */
	public LocalPlatform(Path stateDir, List<String> arguments, SSLContext ssl) throws IOException {
		this(stateDir, arguments, Map.of(), ssl);
	}

	/**
	 * A platform with extra settings, some of them in its environment (secrets such as
	 * Consul's management token stay off its command line).
	 * @param stateDir its state directory
	 * @param arguments further {@code --name=value} settings
	 * @param environment further environment variables, such as
	 * {@code LOCAL_PLATFORM_CONSUL_MANAGEMENT_TOKEN}
	 * @param ssl the client context that trusts the platform's certificate when the
	 * arguments make it serve HTTPS; {@code null} for plain HTTP
	 * @throws IOException when it cannot start
	 */
	public LocalPlatform(Path stateDir, List<String> arguments, Map<String, String> environment, SSLContext ssl)
			throws IOException {
		this(stateDir, arguments, environment, ssl, false);
	}

	private LocalPlatform(Path stateDir, List<String> arguments, Map<String, String> environment, SSLContext ssl,
			boolean isShared) throws IOException {
		this.isShared = isShared;
		this.sliceSize = isShared ? TASK_PORTS / SHARED_CLASSES : REDIS_PORTS;
		this.stateDir = stateDir;
		this.log = stateDir.resolveSibling("local-platform.log");
		this.scheme = (ssl != null) ? "https" : "http";
		this.http = (ssl != null) ? HttpClient.newBuilder().sslContext(ssl).build() : HttpClient.newHttpClient();
		String jar = System.getProperty("local-platform.jar", "../local-platform/target/local-platform.jar");
		if (!Files.isRegularFile(Path.of(jar))) {
			throw new IllegalStateException(jar + " is missing: build it first (./mvnw -pl broker -am verify "
					+ "builds local-platform before the broker)");
		}
		this.marathonPort = FreePorts.next();
		this.consulPort = FreePorts.next();
		this.libStoragePort = FreePorts.next();
		this.taskPortMin = FreePorts.range(TASK_PORTS);
		// C1 and the serial collector (JavaJar): what the tests run on, not what they
		// measure
		List<String> command = new ArrayList<>(List.of("java"));
		command.addAll(JavaJar.arguments(Path.of(jar)));
		command.addAll(List.of("--local-platform.marathon-port=" + this.marathonPort,
				"--local-platform.consul-port=" + this.consulPort,
				"--local-platform.libstorage-port=" + this.libStoragePort, "--local-platform.state-dir=" + stateDir,
				"--local-platform.task-port-min=" + this.taskPortMin,
				"--local-platform.task-port-max=" + (this.taskPortMin + TASK_PORTS - 1),
				// its standard input is a pipe from this JVM: it stops with its
				// tasks when this JVM is gone, however it ended (a build killed
				// midway)
				"--local-platform.exit-with-parent=true"));
		command.addAll(arguments);
		// S3Proxy is a JVM of its own: only the tests that use the store start it
		// (--local-platform.s3.enabled=true), on a free port
		this.s3Port = FreePorts.next();
		command.add(arguments.contains("--local-platform.s3.enabled=true") ? "--local-platform.s3.port=" + this.s3Port
				: "--local-platform.s3.enabled=false");
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().putAll(environment);
		this.process = builder.redirectErrorStream(true).redirectOutput(this.log.toFile()).start();
		await("the local platform up (its log: " + this.log + ")").atMost(Duration.ofSeconds(90))
			.ignoreExceptions()
			.until(() -> get(marathon("/ping")).statusCode() == 200);
		if (arguments.contains("--local-platform.s3.enabled=true")) {
			// S3Proxy starts after the APIs: any answer (403 without a signature) means
			// it listens
			await("its S3 store up (its log: " + this.log + ")").atMost(Duration.ofSeconds(90))
				.ignoreExceptions()
				.until(() -> get(s3() + "/").statusCode() > 0);
		}
	}

	/**
	 * One platform for the end-to-end test classes that need nothing of their own (the
	 * adapters' contract tests, the broker's end-to-end classes but those that stop
	 * agents, restart their platform, or need HTTPS or ACLs), started once per test JVM,
	 * with the local S3 store on (its {@code backups} bucket: each class under its own
	 * key prefix, {@link #backupsPrefix(Class)}), and stopped when the JVM exits
	 * ({@code --local-platform.exit-with-parent} stops it too when the JVM dies). Five
	 * classes use it at once (failsafe's parallelism); each keeps to its own ports,
	 * Marathon group and KV prefix on it: {@link #brokerSettings(Class)}.
	 * <p>
	 * Its log stays after the run (its state directory does not):
	 * {@code java.io.tmpdir/shared-local-platform*}{@code
	 * /local-platform.log} ({@link #log()}; a start that fails names it). Only failsafe's
	 * JVM starts it (every class that uses it is {@code @EndToEnd}), so the S3 store's
	 * start costs surefire's tier nothing.
	 * @return the shared platform
	 * @throws IOException when it cannot start
	 */
	public static synchronized LocalPlatform shared() throws IOException {
		if (shared == null) {
			Path stateDir = Files.createTempDirectory("shared-local-platform").resolve("state");
			shared = new LocalPlatform(stateDir, List.of("--local-platform.s3.enabled=true"), Map.of(), null, true);
			// where to look when a class failed: in the tier's output (failsafe's
			// reports)
			System.out.println("The shared local platform's log: " + shared.log);
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				shared.close();
				// its state (volumes, the S3 store's objects: a hundred MB a run) goes
				// as the per-class platforms' temporary directories do; its log stays
				try {
					FileSystemUtils.deleteRecursively(stateDir);
				}
				catch (IOException ex) {
					// left in java.io.tmpdir
				}
			}));
		}
		return shared;
	}

	/**
	 * The platform's state directory (its volumes under {@code volumes/}): on a shared
	 * platform, other classes' instances' too.
	 * @return the directory
	 */
	public Path stateDir() {
		return this.stateDir;
	}

	/**
	 * The platform's log, its tasks' output among it: on a shared platform, other
	 * classes' too. It outlives a failed run: beside the state directory.
	 * @return the file
	 */
	public Path log() {
		return this.log;
	}

	/**
	 * The settings that keep a test class's brokers to their own part of a shared
	 * platform, so that no broker sees, reconciles or backs up another class's records
	 * and apps: its slice of the agents' ports ({@code BROKER_MARATHON_REDIS_PORTS}), its
	 * own Marathon group ({@code broker.marathon.group}), Consul KV prefix
	 * ({@code broker.consul.kv-prefix}) and backup key prefix
	 * ({@code broker.backups.prefix}). {@link InProcessBroker} adds them to every broker
	 * it starts. On a platform of its own a class sets what it needs itself (a broker
	 * there keeps the defaults its ACL policies and restarts expect): none.
	 * @param testClass the class whose brokers use them
	 * @return {@code --NAME=value} settings
	 */
	public List<String> brokerSettings(Class<?> testClass) {
		if (!this.isShared) {
			return List.of();
		}
		return List.of("--BROKER_MARATHON_REDIS_PORTS=" + redisPorts(testClass),
				// by their names, not their variables': application.yml sets the
				// group and the KV prefix outright, and an argument named as a
				// variable binds only where it names a placeholder
				"--broker.marathon.group=" + group(testClass), "--broker.consul.kv-prefix=" + kvPrefix(testClass),
				"--broker.backups.prefix=" + backupsPrefix(testClass));
	}

	/**
	 * The Marathon group of a test class's brokers' apps
	 * ({@link #brokerSettings(Class)}).
	 * @param testClass the class
	 * @return on a shared platform the class's name in lower case, else the default
	 * {@code osb-redis}
	 */
	public String group(Class<?> testClass) {
		return this.isShared ? testClass.getSimpleName().toLowerCase(Locale.ROOT) : "osb-redis";
	}

	/**
	 * The Consul KV prefix of a test class's brokers' records
	 * ({@link #brokerSettings(Class)}).
	 * @param testClass the class
	 * @return as {@link #group(Class)}
	 */
	public String kvPrefix(Class<?> testClass) {
		return group(testClass);
	}

	/**
	 * The key prefix of a test class's backups in the S3 store
	 * ({@link #brokerSettings(Class)}).
	 * @param testClass the class
	 * @return {@link #group(Class)} and {@code /}
	 */
	public String backupsPrefix(Class<?> testClass) {
		return group(testClass) + "/";
	}

	/**
	 * The ports the agents offer.
	 * @return the range
	 */
	public Ports taskPorts() {
		return new Ports(this.taskPortMin, this.taskPortMin + TASK_PORTS - 1);
	}

	/**
	 * A slice of the agents' ports for {@code BROKER_MARATHON_REDIS_PORTS}: the same for
	 * every broker of one test class (brokers that share a range, as an operator's
	 * instances of one broker do), another for each class on this platform (the shared
	 * one).
	 * @param testClass the class whose brokers use it
	 * @return the slice; its {@code toString()} is {@code first-last}
	 */
	public synchronized Ports redisPorts(Class<?> testClass) {
		return this.redisSlices.computeIfAbsent(testClass, (key) -> {
			if ((this.redisSlices.size() + 1) * this.sliceSize > TASK_PORTS) {
				throw new IllegalStateException("Every slice of this platform's " + TASK_PORTS + " task ports ("
						+ (TASK_PORTS / this.sliceSize) + " of " + this.sliceSize + ") is taken"
						+ (this.isShared ? ": more than SHARED_CLASSES classes use the shared platform" : ""));
			}
			int first = this.taskPortMin + this.redisSlices.size() * this.sliceSize;
			return new Ports(first, first + this.sliceSize - 1);
		});
	}

	/**
	 * Consecutive ports.
	 *
	 * @param first the lowest
	 * @param last the highest
	 */
	public record Ports(int first, int last) {

		@Override
		public String toString() {
			return this.first + "-" + this.last;
		}

	}

	public String marathon(String path) {
		return this.scheme + "://127.0.0.1:" + this.marathonPort + path;
	}

	public String consul(String path) {
		return this.scheme + "://127.0.0.1:" + this.consulPort + path;
	}

	/**
	 * The local S3 store's URL, when started with
	 * {@code --local-platform.s3.enabled=true}.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String s3() {
		return "http://127.0.0.1:" + this.s3Port;
	}

	public String libStorage(String path) {
		return this.scheme + "://127.0.0.1:" + this.libStoragePort + path;
	}

	public HttpResponse<String> get(String url) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * What Consul's DNS would answer for a name such as
	 * {@code redis-<instance-id>.service.consul} (Consul's DNS is not on this machine):
	 * the address of the service's first passing instance, as marathon-consul registered
	 * it; a host that is no such name as it is.
	 * @param host a binding's {@code host}
	 * @return an address to connect to (a task listens on its agent's address only)
	 * @throws IOException when Consul cannot be reached or lists no passing instance
	 * @throws InterruptedException when interrupted
	 */
	public String resolve(String host) throws IOException, InterruptedException {
		if (!host.endsWith(".service.consul")) {
			return host;
		}
		String service = host.substring(0, host.indexOf('.'));
		JsonNode passing = JSON.readTree(get(consul("/v1/health/service/" + service + "?passing")).body());
		if (passing.isEmpty()) {
			throw new IOException("Consul lists no passing instance of " + service + " (for " + host + ")");
		}
		return passing.get(0).path("Service").path("Address").asText();
	}

	/**
	 * A binding's credentials with the address Consul lists for the instance's Redis now
	 * as their {@code host}: with the default {@code address} host style a binding's host
	 * is the agent Redis ran on when it was bound, and a restart may move it to another
	 * (README, "DNS, in one place"); its port, user and password hold wherever it runs.
	 * @param credentials a single Redis's binding credentials
	 * @param instanceId the instance's id
	 * @return a copy, the host replaced
	 * @throws IOException when Consul cannot be reached or lists no passing instance
	 * @throws InterruptedException when interrupted
	 */
	public JsonNode atConsulsAddress(JsonNode credentials, String instanceId) throws IOException, InterruptedException {
		ObjectNode now = credentials.deepCopy();
		now.put("host", redisAddress(instanceId));
		return now;
	}

	/**
	 * Where Consul lists a single instance's Redis now (what a bound app asks).
	 * @param instanceId the instance's id
	 * @return its address
	 * @throws IOException when Consul cannot be reached or lists no passing instance
	 * @throws InterruptedException when interrupted
	 */
	public String redisAddress(String instanceId) throws IOException, InterruptedException {
		return resolve("redis-" + instanceId + ".service.consul");
	}

	HttpResponse<String> post(String url) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Create a Marathon app, as a deployer would.
	 * @param app the app definition
	 * @throws IOException when Marathon cannot be reached or does not answer 201
	 * @throws InterruptedException when interrupted
	 */
	public void createApp(String app) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(marathon("/v2/apps")))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(app))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 201) {
			throw new IOException("Marathon answered " + response.statusCode() + ": " + response.body());
		}
	}

	/**
	 * Delete a Marathon app and so stop its tasks (marathon-consul deregisters them).
	 * @param appId the app id, of safe segments such as {@code /contract/<uuid>}
	 * @throws IOException when Marathon cannot be reached
	 * @throws InterruptedException when interrupted
	 */
	public void deleteApp(String appId) throws IOException, InterruptedException {
		this.http.send(HttpRequest.newBuilder(URI.create(marathon("/v2/apps" + appId))).DELETE().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@Override
	public void close() {
		// SIGTERM: the platform stops every task it started
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
