package io.github.redisonmesos.counter.binding;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BindingReaderTests {

	private final BindingReader reader = new BindingReader(new ConsulFallbackProperties("consul.local", 8501, "dc9"),
			new RedisServiceProperties("redis"));

	@Test
	void boundRedisCredentialsWinOverVariablesAndUnrelatedServicesAreIgnored() throws IOException {
		ConsulBinding binding = this.reader.read(resource("/vcap/services-redis-and-mysql.json"));

		assertThat(binding.consulUrl()).isEqualTo(URI.create("http://consul.service.consul:8500"));
		assertThat(binding.consulHost()).isEqualTo("consul.service.consul");
		assertThat(binding.consulPort()).isEqualTo(8500);
		assertThat(binding.datacenter()).isEqualTo("mesos-east");
		assertThat(binding.serviceName()).isEqualTo("redis-3c1b7e4e-8f0a-4a43-9d0b-6b8b3c9e2d10");
		assertThat(binding.password()).isEqualTo("redis-secret");
		assertThat(binding.source()).contains("counter-redis");
	}

	@Test
	void withoutVcapServicesTheDemoVariablesAreUsedWithoutPassword() {
		ConsulBinding binding = this.reader.read(null);

		assertThat(binding.consulUrl()).isEqualTo(URI.create("http://consul.local:8501"));
		assertThat(binding.datacenter()).isEqualTo("dc9");
		assertThat(binding.serviceName()).isEqualTo("redis");
		assertThat(binding.password()).isNull();
	}

	@Test
	void aRedisBindingWithoutConsulCoordinatesFallsBackToTheVariables() throws IOException {
		ConsulBinding binding = this.reader.read(resource("/vcap/services-foreign-redis-only.json"));

		assertThat(binding.consulUrl()).isEqualTo(URI.create("http://consul.local:8501"));
		assertThat(binding.password()).isNull();
	}

	@Test
	void consulHostMayCarryItsSchemeAndUrlWithoutPortUsesTheSchemeDefault() {
		BindingReader httpsReader = new BindingReader(
				new ConsulFallbackProperties("https://consul.example", 8501, "dc1"),
				new RedisServiceProperties("cache"));
		ConsulBinding binding = httpsReader.read("");

		assertThat(binding.consulUrl()).isEqualTo(URI.create("https://consul.example:8501"));
		assertThat(binding.serviceName()).isEqualTo("cache");
		assertThat(new ConsulBinding(URI.create("https://consul.example"), "dc1", "redis", null, "test").consulPort())
			.isEqualTo(443);
	}

	@Test
	void toStringNeverShowsThePassword() throws IOException {
		ConsulBinding binding = this.reader.read(resource("/vcap/services-redis-and-mysql.json"));

		assertThat(binding.toString()).doesNotContain("redis-secret").contains("password=<set>");
	}

	private static String resource(String name) throws IOException {
		try (InputStream in = BindingReaderTests.class.getResourceAsStream(name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
