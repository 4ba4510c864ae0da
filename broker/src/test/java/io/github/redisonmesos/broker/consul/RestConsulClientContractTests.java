package io.github.redisonmesos.broker.consul;

import java.net.URI;
import java.time.Duration;

import io.github.redisonmesos.broker.component.LocalPlatform;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.web.client.RestClient;

/**
 * The Consul adapter holds to its contract against the local platform's Consul (the
 * platform the contract tests share).
 */
class RestConsulClientContractTests extends ConsulClientContract {

	private static ConsulClient consul;

	@BeforeAll
	static void start() throws Exception {
		LocalPlatform platform = LocalPlatform.shared();
		ConsulProperties properties = new ConsulProperties(URI.create(platform.consul("")),
				URI.create(platform.consul("")), "osb-redis", Duration.ofSeconds(5), "", "");
		consul = new RestConsulClient(properties, RestClient.builder(), new SimpleMeterRegistry());
	}

	@Override
	protected ConsulClient consul() {
		return consul;
	}

}
