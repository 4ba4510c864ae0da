package io.github.redisonmesos.counter.support;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import com.github.tomakehurst.wiremock.WireMockServer;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * What the counter app needs around it in a test: a WireMock Consul and a real
 * {@code redis-server}, both on 127.0.0.1 and free ports; {@link #close()} stops both.
 */
public final class Backends implements AutoCloseable {

	public static final String SERVICE = "redis";

	private final WireMockServer consul;

	private final ConsulStubs stubs;

	private final Path dataDir;

	private final String password;

	private final AtomicLong consulIndex = new AtomicLong(10);

	private RedisServerProcess redis;

	private Backends(WireMockServer consul, Path dataDir, String password) {
		this.consul = consul;
		this.stubs = new ConsulStubs(consul);
		this.dataDir = dataDir;
		this.password = password;
	}

	/**
	 * Starts Consul (WireMock) and Redis, with Consul listing that Redis as passing.
	 * @param dataDir where Redis keeps its AOF
	 * @param password the Redis password, {@code null} for none
	 * @return the running backends
	 */
	public static Backends start(Path dataDir, String password) {
		WireMockServer consul = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
		consul.start();
		Backends backends = new Backends(consul, dataDir, password);
		backends.startRedis(FreePorts.next());
		backends.announceRedis();
		return backends;
	}

	public WireMockServer consul() {
		return this.consul;
	}

	public ConsulStubs stubs() {
		return this.stubs;
	}

	public RedisServerProcess redis() {
		return this.redis;
	}

	public String password() {
		return this.password;
	}

	public RedisServerProcess startRedis(int port) {
		this.redis = RedisServerProcess.start(this.dataDir, port, this.password);
		return this.redis;
	}

	/**
	 * Makes Consul list the current Redis as passing, under a new index.
	 */
	public void announceRedis() {
		this.stubs.stubPassingInstance(SERVICE, "127.0.0.1", this.redis.port(), nextIndex());
	}

	public long nextIndex() {
		return this.consulIndex.incrementAndGet();
	}

	@Override
	public void close() {
		if (this.redis != null) {
			this.redis.close();
		}
		this.consul.stop();
	}

}
