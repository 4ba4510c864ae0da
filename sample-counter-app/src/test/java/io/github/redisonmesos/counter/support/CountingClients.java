package io.github.redisonmesos.counter.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that keep asking the app's {@code /api/counter} until stopped, as the tests
 * that move or fail over Redis under load need them: each 200's counter value, the Redis
 * port it names, and every other answer or error as a failure.
 */
public final class CountingClients {

	private static final Pattern COUNTER = Pattern.compile("\"counter\":(\\d+)");

	private static final Pattern REDIS_PORT = Pattern.compile("\"redisPort\":(\\d+)");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final HttpRequest request;

	private final ExecutorService clients;

	private final List<Future<?>> loops = new ArrayList<>();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

	private final Set<Long> values = ConcurrentHashMap.newKeySet();

	private final AtomicInteger ok = new AtomicInteger();

	private final ConcurrentHashMap<Integer, AtomicInteger> okByRedisPort = new ConcurrentHashMap<>();

	/**
	 * Starts the clients.
	 * @param appPort the app's port on 127.0.0.1
	 * @param count how many clients
	 */
	public CountingClients(int appPort, int count) {
		this.request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/api/counter"))
			.timeout(Duration.ofSeconds(30))
			.build();
		this.clients = Executors.newFixedThreadPool(count);
		for (int i = 0; i < count; i++) {
			this.loops.add(this.clients.submit(this::count));
		}
	}

	/**
	 * Stops the clients and waits for their last answers.
	 * @throws Exception when a client failed to stop
	 */
	public void stop() throws Exception {
		this.running.set(false);
		this.clients.shutdown();
		assertThat(this.clients.awaitTermination(60, TimeUnit.SECONDS)).as("clients stopped").isTrue();
		for (Future<?> loop : this.loops) {
			loop.get();
		}
	}

	public Collection<String> failures() {
		return this.failures;
	}

	public Set<Long> values() {
		return this.values;
	}

	public int ok() {
		return this.ok.get();
	}

	/**
	 * The Redis ports the 200s named.
	 * @return the ports
	 */
	public Set<Integer> redisPorts() {
		return this.okByRedisPort.keySet();
	}

	/**
	 * How many 200s named that Redis port.
	 * @param redisPort the port
	 * @return the number of 200 answers
	 */
	public int okOn(int redisPort) {
		AtomicInteger on = this.okByRedisPort.get(redisPort);
		return (on != null) ? on.get() : 0;
	}

	private void count() {
		while (this.running.get()) {
			try {
				HttpResponse<String> response = this.http.send(this.request, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() != 200) {
					this.failures.add(response.statusCode() + " " + response.body());
					continue;
				}
				this.ok.incrementAndGet();
				this.values.add(Long.parseLong(field(COUNTER, response.body())));
				this.okByRedisPort
					.computeIfAbsent(Integer.parseInt(field(REDIS_PORT, response.body())), (p) -> new AtomicInteger())
					.incrementAndGet();
			}
			catch (Exception ex) {
				this.failures.add(ex.toString());
			}
		}
	}

	/**
	 * A number field of the app's JSON.
	 * @param pattern the field's pattern, its value the first group
	 * @param body the JSON
	 * @return the value
	 */
	public static String field(Pattern pattern, String body) {
		Matcher matcher = pattern.matcher(body);
		assertThat(matcher.find()).as(body).isTrue();
		return matcher.group(1);
	}

	public static String counter(String body) {
		return field(COUNTER, body);
	}

}
