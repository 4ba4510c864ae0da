package io.github.redisonmesos.proof.failover;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.LinkedHashSet;
import java.util.Set;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Jedis' {@code JedisSentineled} on an {@code ha} binding, given VCAP_SERVICES alone, no
 * Spring: counts until stopped, each INCR followed by {@code WAIT 1} in one pipeline (one
 * connection), one {@link CountLine} per attempt. Run from the app's jar:
 *
 * <pre>
 * VCAP_SERVICES=... java -cp spring-boot-proof.jar -Dloader.main=io.github.redisonmesos.proof.failover.JedisSentineledProof \
 *     org.springframework.boot.loader.launch.PropertiesLauncher &lt;service name&gt; &lt;key&gt;
 * </pre>
 */
public final class JedisSentineledProof {

	private JedisSentineledProof() {
	}

	public static void main(String[] args) throws Exception {
		String service = args[0];
		String key = args[1];
		JsonNode credentials = credentials(new ObjectMapper().readTree(System.getenv("VCAP_SERVICES")), service);
		// with tls: required the binding has ca_certificate and each Sentinel's tls_port:
		// TLS to the Sentinels and to Redis, trusting that CA alone (docs/TLS.md)
		SSLSocketFactory tls = credentials.has("ca_certificate")
				? trustingOnly(credentials.path("ca_certificate").asText()) : null;
		JedisClientConfig master = DefaultJedisClientConfig.builder()
			.user(credentials.path("username").asText())
			.password(credentials.path("password").asText())
			.ssl(tls != null)
			.sslSocketFactory(tls)
			.build();
		JedisClientConfig sentinel = DefaultJedisClientConfig.builder()
			.user(credentials.path("sentinel_username").asText())
			.password(credentials.path("sentinel_password").asText())
			.ssl(tls != null)
			.sslSocketFactory(tls)
			.build();
		Set<HostAndPort> sentinels = new LinkedHashSet<>();
		credentials.path("sentinels")
			.forEach((node) -> sentinels.add(new HostAndPort(node.path("host").asText(),
					node.path("tls_port").asInt(node.path("port").asInt()))));
		try (JedisSentineled jedis = new JedisSentineled(credentials.path("master_name").asText(), master, sentinels,
				sentinel)) {
			while (true) {
				try (Pipeline pipeline = jedis.pipelined()) {
					Response<Long> count = pipeline.incr(key);
					Response<Long> replicas = pipeline.waitReplicas(1, CountLine.WAIT_MILLIS);
					pipeline.sync();
					CountLine.acknowledged(count.get(), replicas.get());
				}
				catch (RuntimeException ex) {
					CountLine.failed(ex);
				}
				Thread.sleep(CountLine.PAUSE_MILLIS);
			}
		}
	}

	private static SSLSocketFactory trustingOnly(String pem) throws Exception {
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
			.generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, factory.getTrustManagers(), null);
		return context.getSocketFactory();
	}

	private static JsonNode credentials(JsonNode vcapServices, String service) {
		for (JsonNode offering : vcapServices) {
			for (JsonNode binding : offering) {
				if (service.equals(binding.path("name").asText())) {
					return binding.path("credentials");
				}
			}
		}
		throw new IllegalArgumentException("VCAP_SERVICES has no service named " + service);
	}

}
