package io.github.redisonmesos.broker.catalog;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.deployment.RedisSettings;
import io.github.redisonmesos.broker.deployment.TlsMode;
import io.github.redisonmesos.broker.osb.BadRequestException;
import io.github.redisonmesos.broker.tls.InstanceTlsProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The {@code tls} parameter: its values, the operator's default recorded at provision,
 * and the modes this broker refuses with a 400 that says why.
 */
class TlsParameterTests {

	// the text does not matter here: InstanceParameters asks only whether a CA is set
	private static final InstanceTlsProperties WITH_CA = new InstanceTlsProperties("ca", "key", TlsMode.REQUIRED,
			Duration.ofDays(365), Duration.ofDays(30));

	private final InstanceParameters withCa = new InstanceParameters(new ObjectMapper(), WITH_CA);

	private final InstanceParameters withoutCa = new InstanceParameters(new ObjectMapper(), InstanceTlsProperties.OFF);

	@Test
	void aBadTlsValueIsRefusedNamingTheValuesItTakes() {
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> this.withCa.validate(Map.of("tls", "yes")))
			.withMessageContaining("'tls'")
			.withMessageContaining("enumeration")
			.withMessageContaining("disabled (plain port only)");
		assertThatNoException().isThrownBy(() -> this.withCa.validate(Map.of("tls", "required")));
	}

	@Test
	void theOperatorsDefaultIsRecordedAtProvisionAndShownInTheCatalog() {
		assertThat(this.withCa.atProvision(Map.of())).containsEntry("tls", "required");
		assertThat(this.withCa.atProvision(null)).containsEntry("tls", "required");
		assertThat(this.withCa.atProvision(Map.of("tls", "disabled"))).containsEntry("tls", "disabled");
		assertThat(this.withoutCa.atProvision(Map.of())).isEmpty();
		assertThat(this.withCa.schema()).extractingByKey("properties")
			.extracting((properties) -> ((Map<?, ?>) ((Map<?, ?>) properties).get("tls")).get("default"))
			.isEqualTo("required");
	}

	@Test
	void anInstanceWithoutTlsRecordedStaysWithoutTlsWhateverTheDefault() {
		assertThat(this.withCa.tls(Map.of())).isEqualTo(TlsMode.DISABLED);
		assertThat(RedisSettings.of(this.withCa.effective(Map.of())).label()).doesNotContain("tls");
		assertThat(RedisSettings.of(this.withCa.effective(Map.of("tls", "required"))).label())
			.endsWith(";tls=required");
	}

	@Test
	void tlsWithoutACaIsRefusedNamingTheOperatorsSettings() {
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> this.withoutCa.requireTlsOffered(Map.of("tls", "required"), false, true))
			.withMessageContaining("BROKER_TLS_CA_CERTIFICATE")
			.withMessageContaining("Nothing was changed");
		assertThatNoException()
			.isThrownBy(() -> this.withoutCa.requireTlsOffered(Map.of("tls", "disabled"), false, true));
		assertThatNoException().isThrownBy(() -> this.withoutCa.requireTlsOffered(Map.of(), false, true));
	}

	@Test
	void requiredIsOfferedOnHaPlans() {
		assertThatNoException().isThrownBy(() -> this.withCa.requireTlsOffered(Map.of("tls", "required"), true, true));
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> this.withoutCa.requireTlsOffered(Map.of("tls", "required"), true, true))
			.withMessageContaining("BROKER_TLS_CA_CERTIFICATE");
	}

	@Test
	void aChangeOfTlsOnAnHaInstanceIsOfferedWithItsOwnPortsAndRefusedOnThePlatformsPorts() {
		// the nodes restart together and find the primary again by the host and port
		// they had: ports of its own, both ways
		assertThatNoException().isThrownBy(
				() -> this.withCa.requireTlsChangeOnOwnPortsOnHa(Map.of(), Map.of("tls", "required"), true, true));
		assertThatNoException().isThrownBy(() -> this.withCa.requireTlsChangeOnOwnPortsOnHa(Map.of("tls", "required"),
				Map.of("tls", "disabled"), true, true));
		// the platform's ports change at every restart
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(
					() -> this.withCa.requireTlsChangeOnOwnPortsOnHa(Map.of(), Map.of("tls", "required"), true, false))
			.withMessageContaining("runs with disabled")
			.withMessageContaining("BROKER_MARATHON_REDIS_PORTS")
			.withMessageContaining("Nothing was changed");
		assertThatExceptionOfType(BadRequestException.class).isThrownBy(() -> this.withCa
			.requireTlsChangeOnOwnPortsOnHa(Map.of("tls", "required"), Map.of("tls", "disabled"), true, false));
		// no change, or a single Redis (which never needs its own ports for it)
		assertThatNoException().isThrownBy(() -> this.withCa.requireTlsChangeOnOwnPortsOnHa(Map.of("tls", "required"),
				Map.of("tls", "required"), true, false));
		assertThatNoException().isThrownBy(
				() -> this.withCa.requireTlsChangeOnOwnPortsOnHa(Map.of(), Map.of("tls", "required"), false, false));
	}

	@Test
	void optionalIsRefusedOnHaPlansAndWithoutClaimedPorts() {
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> this.withCa.requireTlsOffered(Map.of("tls", "optional"), true, true))
			.withMessageContaining("single-Redis plans only")
			.withMessageContaining("Nothing was changed");
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> this.withCa.requireTlsOffered(Map.of("tls", "optional"), false, false))
			.withMessageContaining("'optional'")
			.withMessageContaining("BROKER_MARATHON_REDIS_PORTS")
			.withMessageContaining("Nothing was changed");
		assertThatNoException().isThrownBy(() -> this.withCa.requireTlsOffered(Map.of("tls", "required"), false, true));
	}

	@Test
	void optionalOnASingleRedisWithClaimedPortsIsOfferedAndLabelled() {
		assertThatNoException().isThrownBy(() -> this.withCa.requireTlsOffered(Map.of("tls", "optional"), false, true));
		assertThat(RedisSettings.of(this.withCa.effective(Map.of("tls", "optional"))).label())
			.endsWith(";tls=optional");
	}

}
