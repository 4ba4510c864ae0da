package io.github.redisonmesos.broker.security;

import io.github.redisonmesos.broker.BrokerApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class BrokerStartupTests {

	private static final String KEY = "BROKER_SECRETS_KEY=" + TestSecrets.KEY;

	@Test
	void startsWithOnlyBrokerUsernamePasswordAndSecretsKeySet() {
		try (ConfigurableApplicationContext context = broker("BROKER_USERNAME=cf", "BROKER_PASSWORD=secret", KEY)) {
			assertThat(((ServletWebServerApplicationContext) context).getWebServer().getPort()).isPositive();
		}
	}

	@Test
	void refusesToStartWithoutSecretsKeySayingHowToMakeOne(CapturedOutput output) {
		assertThatException().isThrownBy(() -> broker("BROKER_USERNAME=cf", "BROKER_PASSWORD=secret").close());
		assertThat(output).contains("Set BROKER_SECRETS_KEY").contains("head -c 32 /dev/urandom | base64");
	}

	@Test
	void withoutAVolumesUrlSaysVolumesAreLeftToTheOperator(CapturedOutput output) {
		try (ConfigurableApplicationContext context = broker("BROKER_USERNAME=cf", "BROKER_PASSWORD=secret", KEY)) {
			assertThat(output).contains("event=volumes_left_to_operator").contains("BROKER_VOLUMES_URL");
		}
	}

	@Test
	void refusesToStartWithAVolumesUrlButNoServiceNamingIt(CapturedOutput output) {
		assertThatException().isThrownBy(() -> broker("BROKER_USERNAME=cf", "BROKER_PASSWORD=secret", KEY,
				"BROKER_VOLUMES_URL=http://127.0.0.1:7979")
			.close());
		assertThat(output).contains("BROKER_VOLUMES_SERVICE (broker.volumes.service) must name the libStorage service");
	}

	@Test
	void refusesToStartWithAKeyThatIsNotThirtyTwoBytesWithoutPrintingIt(CapturedOutput output) {
		String shortKey = java.util.Base64.getEncoder()
			.encodeToString("only-sixteen-byt".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		assertThatException().isThrownBy(
				() -> broker("BROKER_USERNAME=cf", "BROKER_PASSWORD=secret", "BROKER_SECRETS_KEY=" + shortKey).close());
		assertThat(output).contains("BROKER_SECRETS_KEY decodes to 16 bytes, not 32").doesNotContain(shortKey);
	}

	@Test
	void refusesToStartWithAMalformedPreviousKeyNamingIt(CapturedOutput output) {
		assertThatException().isThrownBy(() -> broker("BROKER_USERNAME=cf", "BROKER_PASSWORD=secret", KEY,
				"BROKER_SECRETS_KEY_PREVIOUS=not base64!")
			.close());
		assertThat(output).contains("BROKER_SECRETS_KEY_PREVIOUS is not base64");
	}

	@Test
	void refusesToStartWithoutPasswordNamingBothVariables(CapturedOutput output) {
		assertThatException().isThrownBy(() -> broker("BROKER_USERNAME=cf", KEY).close());
		assertThat(output).contains(
				"Set both BROKER_USERNAME and BROKER_PASSWORD: they are the HTTP basic credentials the platform uses on /v2");
	}

	@Test
	void aPlanListOfOneIdRefusesToStartSayingWhatAPlanNeeds(CapturedOutput output) {
		assertThatException().isThrownBy(() -> broker("BROKER_USERNAME=cf", "BROKER_PASSWORD=secret", KEY,
				// what BROKER_CATALOG_PLANS_0_ID=... in the environment binds to
				"broker.catalog.plans[0].id=7037679f-8cf6-4831-b275-13d953c85cbb")
			.close());
		assertThat(output).contains("broker.catalog.plans[0] has no name, mem-mb, cpus, maxmemory, volume-gb")
			.contains("replaces the whole default list");
	}

	@Test
	void anHaBlockWithAZoneAttributeButTooFewZonesRefusesToStartNamingTheFields(CapturedOutput output) {
		assertThatException().isThrownBy(() -> broker("BROKER_USERNAME=cf", "BROKER_PASSWORD=secret", KEY,
				"broker.catalog.plans[0].id=c4f736b3-14cd-4e7c-8dbf-b8030e281f88", "broker.catalog.plans[0].name=ha",
				"broker.catalog.plans[0].mem-mb=256", "broker.catalog.plans[0].cpus=0.2",
				"broker.catalog.plans[0].maxmemory=128mb", "broker.catalog.plans[0].volume-gb=1",
				"broker.catalog.plans[0].ha.zone-attribute=zone", "broker.catalog.plans[0].ha.zones[0]=zone-a",
				"broker.catalog.plans[0].ha.quorum=4")
			.close());
		assertThat(output).contains("broker.catalog.plans[0] has ha.zone-attribute zone with 1 ha.zones for 3 ha.nodes "
				+ "(one zone per node), ha.quorum 4 above ha.nodes 3.");
	}

	@Test
	void marathonCredentialsHalfSetRefuseToStartNamingBoth(CapturedOutput output) {
		assertThatException().isThrownBy(
				() -> broker("BROKER_USERNAME=cf", "BROKER_PASSWORD=secret", KEY, "MARATHON_USERNAME=broker").close());
		assertThat(output).contains("Only one of MARATHON_USERNAME and MARATHON_PASSWORD is set");
	}

	@Test
	void refusesToStartWithoutUsername() {
		assertThatException().isThrownBy(() -> broker("BROKER_PASSWORD=secret", KEY).close())
			.withStackTraceContaining(BrokerCredentialsProperties.MISSING);
	}

	@Test
	void failureAnalysisIsTheOneSentenceNamingBothVariables() {
		Throwable failure = new IllegalStateException("binding failed",
				new RequiredSettingException(BrokerCredentialsProperties.MISSING, "Export them."));
		FailureAnalysis analysis = new RequiredSettingFailureAnalyzer().analyze(failure);
		assertThat(analysis.getDescription()).contains("BROKER_USERNAME", "BROKER_PASSWORD").doesNotContain("\n");
	}

	private static ConfigurableApplicationContext broker(String... properties) {
		// the port as an argument: application.yml's ${PORT:8080} outranks default
		// properties
		return new SpringApplicationBuilder(BrokerApplication.class).web(WebApplicationType.SERVLET)
			.properties("spring.main.banner-mode=off")
			.properties(properties)
			.run("--server.port=0", "--server.address=127.0.0.1");
	}

}
