package io.github.redisonmesos.broker.consul;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.component.LocalPlatform;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.remote.TlsProperties;
import io.github.redisonmesos.testsupport.EndToEnd;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.web.client.RestClient;

import static org.awaitility.Awaitility.await;

/**
 * The Consul adapter holds to its contract against the local platform's Consul (the
 * platform the contract tests share); services are registered the way the broker's are,
 * by Marathon apps that marathon-consul registers.
 */
@EndToEnd
class RestConsulClientContractTests extends ConsulClientContract {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static LocalPlatform platform;

	private static ConsulClient consul;

	private final List<String> apps = new ArrayList<>();

	@BeforeAll
	static void start() throws Exception {
		platform = LocalPlatform.shared();
		ConsulProperties properties = new ConsulProperties(URI.create(platform.consul("")),
				URI.create(platform.consul("")), "osb-redis", Duration.ofSeconds(5), "", "");
		consul = new RestConsulClient(properties, TlsProperties.NONE, null, RestClient.builder(),
				new SimpleMeterRegistry());
	}

	@AfterEach
	void deleteApps() throws Exception {
		for (String app : this.apps) {
			platform.deleteApp(app);
		}
	}

	@Override
	protected ConsulClient consul() {
		return consul;
	}

	@Override
	protected RedisEndpoint registerPassing(String service, String tag) throws Exception {
		String appId = "/contract/" + service;
		Map<String, Object> app = Map.of("id", appId, "cmd", "redis-server --port $PORT0 --bind \"$HOST\" --save ''",
				"cpus", 0.1, "mem", 32, "instances", 1, "labels", Map.of("consul", service), "portDefinitions",
				List.of(Map.of("port", 0, "protocol", "tcp", "labels", Map.of("consul", service, tag, "tag"))));
		platform.createApp(JSON.writeValueAsString(app));
		this.apps.add(appId);
		JsonNode task = await().atMost(Duration.ofSeconds(60))
			.until(() -> JSON.readTree(platform.get(platform.marathon("/v2/apps" + appId + "/tasks")).body())
				.path("tasks")
				.path(0), (running) -> running.path("ports").path(0).asInt() > 0);
		await().atMost(Duration.ofSeconds(60)).until(() -> !consul.instances(service, true).isEmpty());
		return new RedisEndpoint(task.path("host").asText(), task.path("ports").path(0).asInt());
	}

}
