package io.github.redisonmesos.broker.tls;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.github.redisonmesos.broker.consul.TestKvRecords;
import io.github.redisonmesos.broker.instance.operations.TestBroker;
import io.github.redisonmesos.broker.security.RequiredSettingException;
import io.github.redisonmesos.broker.support.FakeConsul;
import org.junit.jupiter.api.Test;

import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The single-use delivery of an instance's key and certificate (docs/TLS.md): the first
 * fetch with the current token gets key, certificate and CA; every later one, an older
 * token's or a wrong one, gets the CA alone; Consul holds the token's hash only.
 */
class TlsDeliveriesTests {

	private static final String ID = "3c9a7e1f-0b2d-4c6e-8a15-9f7d3b1e5c20";

	private static final List<String> NAMES = List.of("redis-" + ID + ".service.consul");

	private final FakeConsul consul = new FakeConsul();

	@Test
	void theFirstFetchWithTheTokenGetsTheKeyAndEveryLaterOneTheCaAlone() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		TlsDeliveries deliveries = deliveries(ca);
		String uri = deliveries.newFetchUri(ID);
		assertThat(uri).startsWith("https://broker.example/tls/v1/instances/" + ID + "/delivery?token=");
		String token = token(uri);

		String first = deliveries.deliver(ID, token, NAMES, List.of("10.0.0.7"));
		assertThat(first).contains("-----BEGIN PRIVATE KEY-----").endsWith(ca.certificatePem());
		assertThat(first.split("BEGIN CERTIFICATE", -1)).hasSize(3);
		assertThat(deliveries.deliver(ID, token, NAMES, List.of())).isEqualTo(ca.certificatePem());
	}

	@Test
	void aWrongOrOlderTokenGetsTheCaAlone() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		TlsDeliveries deliveries = deliveries(ca);
		String older = token(deliveries.newFetchUri(ID));
		String current = token(deliveries.newFetchUri(ID));
		assertThat(deliveries.deliver(ID, older, NAMES, List.of())).isEqualTo(ca.certificatePem());
		assertThat(deliveries.deliver(ID, "", NAMES, List.of())).isEqualTo(ca.certificatePem());
		assertThat(deliveries.deliver("other-instance", current, NAMES, List.of())).isEqualTo(ca.certificatePem());
		assertThat(deliveries.deliver(ID, current, NAMES, List.of())).contains("PRIVATE KEY");
	}

	@Test
	void consulHoldsTheTokensHashNeverTheTokenOrAKey() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		TlsDeliveries deliveries = deliveries(ca);
		String token = token(deliveries.newFetchUri(ID));
		deliveries.deliver(ID, token, NAMES, List.of());
		Map<String, String> kv = this.consul.values();
		assertThat(kv).hasSize(1);
		String record = kv.values().iterator().next();
		assertThat(record).contains(TlsDeliveries.sha256(token)).doesNotContain(token).doesNotContain("PRIVATE");
	}

	@Test
	void eachHaNodeHasItsOwnSingleUseTokenAndRecord() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		TlsDeliveries deliveries = deliveries(ca);
		String uri0 = deliveries.newFetchUri(ID, OptionalInt.of(0));
		String uri1 = deliveries.newFetchUri(ID, OptionalInt.of(1));
		assertThat(uri1).startsWith("https://broker.example/tls/v1/instances/" + ID + "/nodes/1/delivery?token=");
		assertThat(this.consul.values().keySet()).containsExactlyInAnyOrder("osb-redis/tls/" + ID + "/node-0",
				"osb-redis/tls/" + ID + "/node-1");

		// node-0's token opens no other node's delivery, nor the single Redis's
		assertThat(deliveries.deliver(ID, OptionalInt.of(1), token(uri0), NAMES, List.of()))
			.isEqualTo(ca.certificatePem());
		assertThat(deliveries.deliver(ID, token(uri0), NAMES, List.of())).isEqualTo(ca.certificatePem());
		assertThat(deliveries.deliver(ID, OptionalInt.of(1), token(uri1), NAMES, List.of())).contains("PRIVATE KEY");
		assertThat(deliveries.deliver(ID, OptionalInt.of(1), token(uri1), NAMES, List.of()))
			.isEqualTo(ca.certificatePem());
		assertThat(deliveries.deliver(ID, OptionalInt.of(0), token(uri0), NAMES, List.of())).contains("PRIVATE KEY");
	}

	@Test
	void aCaWithoutADeliveryUrlStopsStartUpNamingTheVariable() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		assertThatThrownBy(() -> new TlsDeliveries(records(), ca.certificates(), new TlsDeliveryProperties("")))
			.isInstanceOf(RequiredSettingException.class)
			.hasMessageContaining("BROKER_TLS_DELIVERY_URL");
	}

	private TlsDeliveries deliveries(TestCa ca) {
		return new TlsDeliveries(records(), ca.certificates(), new TlsDeliveryProperties("https://broker.example"));
	}

	private TlsDeliveryRecords records() {
		return TestKvRecords.tlsDeliveries(this.consul, TestBroker.consulProperties(""), TestBroker.OBJECT_MAPPER);
	}

	private static String token(String uri) {
		return UriComponentsBuilder.fromUri(URI.create(uri)).build().getQueryParams().getFirst("token");
	}

}
