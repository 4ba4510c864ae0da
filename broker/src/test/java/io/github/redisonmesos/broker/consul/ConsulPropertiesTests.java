package io.github.redisonmesos.broker.consul;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsulPropertiesTests {

	private static final URI URL = URI.create("http://127.0.0.1:8500");

	@Test
	void toStringSaysWhetherTokensAreSetButNeverShowsThem() {
		ConsulProperties properties = new ConsulProperties(URL, URL, "osb-redis", Duration.ofSeconds(5),
				"broker-secret-token", "app-secret-token");
		assertThat(properties.toString()).contains("token=(set)")
			.contains("appToken=(set)")
			.doesNotContain("broker-secret-token")
			.doesNotContain("app-secret-token");
	}

	@Test
	void blankOrMissingTokensMeanNoToken() {
		ConsulProperties properties = new ConsulProperties(URL, URL, "osb-redis", Duration.ofSeconds(5), "  ", null);
		assertThat(properties.hasToken()).isFalse();
		assertThat(properties.hasAppToken()).isFalse();
		assertThat(properties.token()).isEmpty();
		assertThat(properties.appToken()).isEmpty();
	}

}
