package io.github.redisonmesos.counter.binding;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class BindingReaderTests {

	private static final String BOUND_TOKEN = "8f2c61d4-5b7e-4c1a-9e3d-0a6b2f9c7d15";

	private static final String BINDING_USER = "b-6f1f8a0e-52a4-4c7e-a0a3-0d6a3b8a2f11";

	private final BindingReader reader = new BindingReader(
			new ConsulFallbackProperties("consul.local", 8501, "dc9", null), new RedisServiceProperties("redis"));

	@Test
	void boundRedisCredentialsWinOverVariablesAndUnrelatedServicesAreIgnored() throws IOException {
		RedisBinding binding = this.reader.read(resource("/vcap/services-redis-and-mysql.json"));

		assertThat(binding.consulUrl()).isEqualTo(URI.create("http://consul.service.consul:8500"));
		assertThat(binding.consulHost()).isEqualTo("consul.service.consul");
		assertThat(binding.consulPort()).isEqualTo(8500);
		assertThat(binding.datacenter()).isEqualTo("mesos-east");
		assertThat(binding.serviceName()).isEqualTo("redis-3c1b7e4e-8f0a-4a43-9d0b-6b8b3c9e2d10");
		assertThat(binding.password()).isEqualTo("redis-secret");
		assertThat(binding.consulToken()).isEqualTo(BOUND_TOKEN);
		assertThat(binding.source()).contains("counter-redis");
	}

	@Test
	void aBindingWithoutUsernameOrUserInTheUriAuthenticatesWithThePasswordAlone() throws IOException {
		RedisBinding binding = this.reader.read(resource("/vcap/services-redis-and-mysql.json"));

		assertThat(binding.username()).isNull();
		assertThat(binding.password()).isEqualTo("redis-secret");
	}

	@Test
	void theBindingsUsernameIsTheRedisUser() throws IOException {
		RedisBinding binding = this.reader.read(withRedisUser("\"username\": \"" + BINDING_USER + "\",",
				"redis://" + BINDING_USER + ":redis-secret@10.0.16.21:31542"));

		assertThat(binding.username()).isEqualTo(BINDING_USER);
		assertThat(binding.password()).isEqualTo("redis-secret");
	}

	@Test
	void withoutUsernameTheUserInTheUriIsTheRedisUser() throws IOException {
		RedisBinding binding = this.reader
			.read(withRedisUser("", "redis://b-%C3%A9t%C3%A9:redis-secret@10.0.16.21:31542"));

		assertThat(binding.username()).isEqualTo("b-été");
	}

	@Test
	void aUriThatIsNoUriStopsStartUpWithoutQuotingIt() throws IOException {
		String broken = withRedisUser("", "redis://b-1:redis secret@10.0.16.21:31542");

		assertThatIllegalStateException().isThrownBy(() -> this.reader.read(broken))
			.withMessageContaining("uri of the bound Redis service is not a valid URI")
			.withMessageNotContaining("redis secret");
	}

	@Test
	void aBindingWithoutConsulTokenMeansNoTokenEvenWhenConsulTokenIsSet() throws IOException {
		// the broker decides whether its Consul needs a token: no mixing with the
		// variables
		BindingReader withVariable = new BindingReader(
				new ConsulFallbackProperties("consul.local", 8501, "dc9", "variable-token"),
				new RedisServiceProperties("redis"));
		String withoutToken = resource("/vcap/services-redis-and-mysql.json")
			.replace("\"consul_token\": \"" + BOUND_TOKEN + "\",", "");

		RedisBinding binding = withVariable.read(withoutToken);

		assertThat(binding.source()).contains("counter-redis");
		assertThat(binding.consulToken()).isNull();
	}

	@Test
	void withoutVcapServicesConsulTokenVariableIsTheToken() {
		ConsulFallbackProperties fallback = bindVariables(
				Map.of("CONSUL_HOST", "consul.local", "CONSUL_TOKEN", "5d0e9a37-2c4b-4f8e-a1b6-7c3d9e0f2a48"));

		RedisBinding binding = new BindingReader(fallback, new RedisServiceProperties("redis")).read(null);

		assertThat(binding.consulUrl()).isEqualTo(URI.create("http://consul.local:8500"));
		assertThat(binding.consulToken()).isEqualTo("5d0e9a37-2c4b-4f8e-a1b6-7c3d9e0f2a48");
	}

	@Test
	void anEmptyConsulTokenVariableMeansNoToken() {
		ConsulFallbackProperties fallback = bindVariables(Map.of("CONSUL_TOKEN", ""));

		assertThat(new BindingReader(fallback, new RedisServiceProperties("redis")).read(null).consulToken()).isNull();
	}

	@Test
	void withoutVcapServicesTheDemoVariablesAreUsedWithoutPassword() {
		RedisBinding binding = this.reader.read(null);

		assertThat(binding.consulUrl()).isEqualTo(URI.create("http://consul.local:8501"));
		assertThat(binding.datacenter()).isEqualTo("dc9");
		assertThat(binding.serviceName()).isEqualTo("redis");
		assertThat(binding.password()).isNull();
		assertThat(binding.consulToken()).isNull();
	}

	@Test
	void aRedisBindingWithoutConsulCoordinatesFallsBackToTheVariables() throws IOException {
		RedisBinding binding = this.reader.read(resource("/vcap/services-foreign-redis-only.json"));

		assertThat(binding.consulUrl()).isEqualTo(URI.create("http://consul.local:8501"));
		assertThat(binding.password()).isNull();
	}

	@Test
	void consulHostMayCarryItsSchemeAndUrlWithoutPortUsesTheSchemeDefault() {
		BindingReader httpsReader = new BindingReader(
				new ConsulFallbackProperties("https://consul.example", 8501, "dc1", null),
				new RedisServiceProperties("cache"));
		RedisBinding binding = httpsReader.read("");

		assertThat(binding.consulUrl()).isEqualTo(URI.create("https://consul.example:8501"));
		assertThat(binding.serviceName()).isEqualTo("cache");
		assertThat(new RedisBinding(URI.create("https://consul.example"), "dc1", "redis", null, null, null, "test")
			.consulPort()).isEqualTo(443);
	}

	@Test
	void toStringNeverShowsThePasswordOrTheToken() throws IOException {
		RedisBinding binding = this.reader.read(withRedisUser("\"username\": \"" + BINDING_USER + "\",",
				"redis://" + BINDING_USER + ":redis-secret@10.0.16.21:31542"));

		assertThat(binding.toString()).doesNotContain("redis-secret")
			.contains("username=" + BINDING_USER)
			.doesNotContain(BOUND_TOKEN)
			.contains("password=<set>")
			.contains("consulToken=<set>");
		assertThat(this.reader.read(null).toString()).contains("consulToken=<none>");
	}

	@Test
	void anHaBindingsSentinelsAreReadAndASingleRedisBindingHasNone() throws IOException {
		RedisBinding single = this.reader.read(resource("/vcap/services-redis-and-mysql.json"));
		RedisBinding ha = this.reader.read(withHa("\"master_name\": \"osb-1\", \"sentinels\": ["
				+ "{\"host\": \"10.0.16.21\", \"port\": 31543}, {\"host\": \"10.0.16.22\", \"port\": \"31545\"}], "
				+ "\"sentinel_username\": \"" + BINDING_USER + "\", \"sentinel_password\": \"sentinel-secret\", "
				+ "\"consul_sentinel_service\": \"sntnl-1\","));

		assertThat(single.isHa()).isFalse();
		assertThat(ha.isHa()).isTrue();
		assertThat(ha.sentinel().masterName()).isEqualTo("osb-1");
		assertThat(ha.sentinel().sentinels()).containsExactly(new SentinelBinding.Address("10.0.16.21", 31543),
				new SentinelBinding.Address("10.0.16.22", 31545));
		assertThat(ha.sentinel().username()).isEqualTo(BINDING_USER);
		assertThat(ha.sentinel().password()).isEqualTo("sentinel-secret");
		assertThat(ha.sentinel().consulService()).isEqualTo("sntnl-1");
		assertThat(ha.toString()).doesNotContain("sentinel-secret").contains("masterName=osb-1");
	}

	@Test
	void sentinelsThatAreNotHostsAndPortsAreRefusedWithoutQuotingTheCredentials() throws IOException {
		String broken = withHa("\"master_name\": \"osb-1\", \"sentinels\": [{\"host\": \"10.0.16.21\", "
				+ "\"port\": \"x\"}], \"sentinel_password\": \"sentinel-secret\",");

		assertThatIllegalStateException().isThrownBy(() -> this.reader.read(broken))
			.withMessageContaining("sentinels")
			.withMessageNotContaining("sentinel-secret");
	}

	private static String withHa(String entries) throws IOException {
		return resource("/vcap/services-redis-and-mysql.json").replace("\"password\": \"redis-secret\",",
				entries + "\"password\": \"redis-secret\",");
	}

	// as Spring binds the process environment: CONSUL_TOKEN reaches consul.token
	private static ConsulFallbackProperties bindVariables(Map<String, Object> variables) {
		MutablePropertySources sources = new MutablePropertySources();
		sources.addFirst(new SystemEnvironmentPropertySource("environment", variables));
		return new Binder(ConfigurationPropertySources.from(sources)).bindOrCreate("consul",
				ConsulFallbackProperties.class);
	}

	// the fixture's Redis credentials as the broker hands them out since per-binding
	// users
	private static final String CA = "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n";

	@Test
	void aRedissUriWithTheCaMeansTlsOnThePortDiscoveryGivesCheckedAgainstTheBindingsHostName() throws IOException {
		RedisBinding binding = this.reader.read(withTls(
				"\"host\": \"redis-3c1b.service.consul\", \"ca_certificate\": \"" + CA + "\", \"tls_port\": 31542,",
				"rediss://b-1:redis-secret@redis-3c1b.service.consul:31542"));

		assertThat(binding.tls().port()).isZero();
		assertThat(binding.tls().portFor(31999)).isEqualTo(31999);
		assertThat(binding.tls().serverName()).isEqualTo("redis-3c1b.service.consul");
		assertThat(binding.tls().caCertificate()).startsWith("-----BEGIN CERTIFICATE-----\n");
		assertThat(binding.toString()).doesNotContain("BEGIN").contains("tls=RedisTls[port=discovered");
	}

	@Test
	void aTlsPortBesideARedisUriMeansTlsOnThatPortAndAnAddressIsNotAName() throws IOException {
		RedisBinding binding = this.reader
			.read(withTls("\"host\": \"10.0.16.21\", \"ca_certificate\": \"" + CA + "\", \"tls_port\": 31543,",
					"redis://b-1:redis-secret@10.0.16.21:31542"));

		assertThat(binding.tls().port()).isEqualTo(31543);
		assertThat(binding.tls().portFor(31542)).isEqualTo(31543);
		assertThat(binding.tls().serverName()).isNull();
	}

	@Test
	void withoutACaTheBindingIsPlainTextEvenWithATlsPort() throws IOException {
		RedisBinding binding = this.reader
			.read(withTls("\"tls_port\": 31543,", "redis://b-1:redis-secret@10.0.16.21:31542"));

		assertThat(binding.tls()).isNull();
	}

	@Test
	void aRedissUriWithoutACaOrACaWithoutAPortOrNotPemStopsStartUpSayingWhatIsMissing() throws IOException {
		String noCa = withTls("", "rediss://b-1:redis-secret@10.0.16.21:31542");
		String noPort = withTls("\"ca_certificate\": \"" + CA + "\",", "redis://b-1:redis-secret@10.0.16.21:31542");
		String notPem = withTls("\"ca_certificate\": \"MIIB\", \"tls_port\": 31543,",
				"redis://b-1:redis-secret@10.0.16.21:31542");

		assertThatIllegalStateException().isThrownBy(() -> this.reader.read(noCa))
			.withMessageContaining("rediss:// but they carry no ca_certificate")
			.withMessageNotContaining("redis-secret");
		assertThatIllegalStateException().isThrownBy(() -> this.reader.read(noPort))
			.withMessageContaining("neither a rediss:// uri nor a numeric tls_port")
			.withMessageNotContaining("redis-secret");
		assertThatIllegalStateException().isThrownBy(() -> this.reader.read(notPem))
			.withMessageContaining("ca_certificate of the bound Redis service is not a PEM certificate");
	}

	// entries go before "password"; a "host" among them replaces the fixture's
	private static String withTls(String entries, String uri) throws IOException {
		String document = withRedisUser(entries, uri);
		return entries.contains("\"host\"") ? document.replace("\"host\": \"10.0.16.21\",", "") : document;
	}

	private static String withRedisUser(String usernameEntry, String uri) throws IOException {
		return resource("/vcap/services-redis-and-mysql.json")
			.replace("\"password\": \"redis-secret\",", usernameEntry + "\"password\": \"redis-secret\",")
			.replace("\"uri\": \"redis://:redis-secret@10.0.16.21:31542\"", "\"uri\": \"" + uri + "\"");
	}

	private static String resource(String name) throws IOException {
		try (InputStream in = BindingReaderTests.class.getResourceAsStream(name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
