package io.github.redisonmesos.broker.marathon;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.component.LocalPlatform;
import io.github.redisonmesos.broker.deployment.RedisDeployer;
import io.github.redisonmesos.broker.remote.TlsProperties;
import io.github.redisonmesos.testsupport.EndToEnd;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.core.io.ClassPathResource;
import org.springframework.web.client.RestClient;

import static org.awaitility.Awaitility.await;

/**
 * The Marathon adapter holds to its contract against the local platform's Marathon, with
 * the shipped app template running a real redis-server.
 */
@EndToEnd
class MarathonRedisDeployerContractTests extends RedisDeployerContract {

	private static RedisDeployer deployer;

	@BeforeAll
	static void start() throws Exception {
		LocalPlatform platform = LocalPlatform.shared();
		MarathonProperties properties = new MarathonProperties(URI.create(platform.marathon("")), "osb-redis",
				new ClassPathResource("marathon/redis-app-template.json"),
				new ClassPathResource("marathon/redis-ha-node-template.json"), Duration.ofSeconds(10),
				Duration.ofSeconds(5), platform.redisPorts(MarathonRedisDeployerContractTests.class).toString(),
				List.of());
		deployer = new MarathonRedisDeployer(properties, MarathonCredentials.NONE, TlsProperties.NONE, null,
				RestClient.builder(), Clock.systemUTC(), new SimpleMeterRegistry(), new ObjectMapper());
	}

	@Override
	protected RedisDeployer deployer() {
		return deployer;
	}

	@Override
	protected void awaitRunning(String instanceId) {
		await().atMost(Duration.ofSeconds(60))
			.until(() -> deployer.status(instanceId)
				.filter((status) -> !status.deploying() && status.tasksHealthy() == 1)
				.isPresent());
	}

}
