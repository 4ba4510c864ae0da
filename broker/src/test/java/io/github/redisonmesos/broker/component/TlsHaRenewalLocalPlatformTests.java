package io.github.redisonmesos.broker.component;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisonmesos.broker.tls.TestCa;
import io.github.redisonmesos.testsupport.EndToEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSentineled;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The renewal of an {@code ha} instance's certificates before they expire, on the local
 * platform (issue 28): short-lived certificates (180 s, renewed 150 s before expiry), and
 * the broker alone (no platform polls a renewal) rolls the nodes whose certificate is
 * due, each with a new delivery; every node then serves a new certificate and key, and no
 * write acknowledged with {@code WAIT 1} is lost. A platform and broker of its own: a
 * second broker with other renewal settings would renew the same nodes on its own terms.
 * Beside other classes: it looks in the JVM's output ({@link JvmOutput}) for a line
 * naming its own instance.
 */
// failsafe starts the end-to-end classes by @Order (broker/pom.xml): the longest first
@Order(1)
@EndToEnd
@ExtendWith(JvmOutput.class)
class TlsHaRenewalLocalPlatformTests {

	private static final Duration BOUND = Duration.ofSeconds(240);

	private static final Duration VALIDITY = Duration.ofSeconds(180);

	private static final Duration RENEW_BEFORE = Duration.ofSeconds(150);

	private static LocalPlatform platform;

	private static ConfigurableApplicationContext context;

	private static BrokerApi broker;

	private static TestCa ca;

	@BeforeAll
	static void start() throws Exception {
		ca = TestCa.generate("EC", "Operator TLS HA renewal test CA");
		platform = LocalPlatform.shared();
		// 180 s certificates renewed 150 s before expiry: due 30 s after each delivery,
		// and a roll has 150 s before a node's certificate expires (nodes whose
		// certificates expired cannot replicate or watch each other), several times
		// what it takes under load (the test prints it); the demo's Sentinel timings, as
		// the roll's switch-over runs on them
		context = InProcessBroker.startWithCa(platform, TlsHaRenewalLocalPlatformTests.class, ca,
				InProcessBroker.withHaPlanAtDemoTimings("--broker.reconcile.ha-interval=1s",
						"--BROKER_TLS_CERTIFICATE_VALIDITY=" + VALIDITY.toSeconds() + "s",
						"--BROKER_TLS_RENEW_BEFORE=" + RENEW_BEFORE.toSeconds() + "s",
						"--broker.reconcile.interval=1s"));
		broker = InProcessBroker.api(context);
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	void theNodesCertificatesAreRenewedBeforeTheyExpireByTheBrokersOwnRollingUpdateAndNoWriteIsLost(
			CapturedOutput output) throws Exception {
		String instanceId = UUID.randomUUID().toString();
		HaBindings.provision(broker, instanceId, "required", BOUND);
		JsonNode binding = HaBindings.bind(broker, instanceId);
		Set<HostAndPort> sentinels = HaBindings.sentinels(binding, "tls_port");
		String masterName = binding.path("master_name").asText();
		JedisClientConfig tls = HaBindings.tlsConfig(binding);
		// each node's certificate as its Sentinel serves it (one certificate for the
		// node's Redis and Sentinel)
		Map<HostAndPort, X509Certificate> first = new HashMap<>();
		for (HostAndPort sentinel : sentinels) {
			first.put(sentinel, served(binding, sentinel));
		}

		// every node serves a new certificate, by the broker's own rolling update, while
		// an
		// app with the binding writes with WAIT 1
		long started = System.nanoTime();
		List<String> acknowledged;
		try (AcknowledgedWriter writer = new AcknowledgedWriter(
				HaBindings.sentineled(masterName, tls, sentinels, BOUND), 1, "renewal")) {
			await().atMost(Duration.ofSeconds(360)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
				for (HostAndPort sentinel : sentinels) {
					if (served(binding, sentinel).getSerialNumber().equals(first.get(sentinel).getSerialNumber())) {
						return false;
					}
				}
				return true;
			});
			long renewedAt = System.currentTimeMillis();
			writer.close();
			acknowledged = writer.acknowledged();
			long firstExpiry = first.values()
				.stream()
				.mapToLong((certificate) -> certificate.getNotAfter().getTime())
				.min()
				.orElseThrow();
			long firstDue = firstExpiry - RENEW_BEFORE.toMillis();
			System.out.printf(
					"ha renewal: every node served a new certificate %d ms after the first ones were "
							+ "served, %d ms after the first fell due and %d ms before the first would have "
							+ "expired; %d writes acknowledged meanwhile, longest gap %d ms%n",
					(System.nanoTime() - started) / 1_000_000, renewedAt - firstDue, firstExpiry - renewedAt,
					acknowledged.size(), writer.longestGapMillis());
			assertThat(renewedAt).as("every node renewed before the first certificate expired").isLessThan(firstExpiry);
		}
		for (HostAndPort sentinel : sentinels) {
			X509Certificate renewed = served(binding, sentinel);
			assertThat(renewed.getPublicKey()).as("a new key on %s", sentinel)
				.isNotEqualTo(first.get(sentinel).getPublicKey());
		}
		assertThat(output.getAll()).containsPattern(
				Pattern.quote("event=tls_renewal instance_id=" + instanceId + " not_after=") + "\\S+ nodes=node-");
		assertThat(acknowledged).hasSizeGreaterThan(10);
		try (JedisSentineled app = HaBindings.sentineled(masterName, tls, sentinels, BOUND)) {
			await().atMost(BOUND).ignoreExceptions().untilAsserted(() -> {
				for (int from = 0; from < acknowledged.size(); from += 500) {
					List<String> batch = acknowledged.subList(from, Math.min(acknowledged.size(), from + 500));
					assertThat(app.mget(batch.toArray(String[]::new))).as("writes acknowledged during the renewals")
						.containsOnly("v");
				}
			});
		}
	}

	// the certificate a Sentinel serves, verified against the binding's CA
	private static X509Certificate served(JsonNode credentials, HostAndPort address) throws Exception {
		SSLContext context = TlsEvidence.trustingOnly(credentials.path("ca_certificate").asText());
		try (Socket plain = new Socket()) {
			plain.connect(new InetSocketAddress(address.getHost(), address.getPort()), 2000);
			plain.setSoTimeout(2000);
			try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
				.createSocket(plain, address.getHost(), address.getPort(), false)) {
				socket.startHandshake();
				return (X509Certificate) socket.getSession().getPeerCertificates()[0];
			}
		}
	}

}
