package io.github.redisonmesos.broker.component;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the end-to-end TLS classes look at: an app's trust in the binding's CA alone, and
 * the places a private key must never be (Consul KV decoded, every process's command
 * line).
 */
final class TlsEvidence {

	private static final ObjectMapper JSON = new ObjectMapper();

	private TlsEvidence() {
	}

	/**
	 * TLS that trusts one CA alone, as an app given the binding's {@code ca_certificate}.
	 * @param pem the CA certificate
	 * @return the context
	 */
	static SSLContext trustingOnly(String pem) throws Exception {
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		trust.setCertificateEntry("ca", (X509Certificate) CertificateFactory.getInstance("X.509")
			.generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, factory.getTrustManagers(), null);
		return context;
	}

	/**
	 * Every value in the platform's Consul KV, decoded.
	 * @param platform the platform
	 * @return the values, one after another
	 */
	static String consulKv(LocalPlatform platform) throws Exception {
		JsonNode entries = JSON.readTree(platform.get(platform.consul("/v1/kv/?recurse=true")).body());
		StringBuilder values = new StringBuilder();
		for (JsonNode entry : entries) {
			if (entry.hasNonNull("Value")) {
				values
					.append(new String(Base64.getDecoder().decode(entry.path("Value").asText()),
							StandardCharsets.UTF_8))
					.append('\n');
			}
		}
		return values.toString();
	}

	/**
	 * The command lines of every process on this machine, the tasks' redis-servers among
	 * them.
	 * @return one per line
	 */
	static String commandLines() throws IOException {
		List<String> lines = new ArrayList<>();
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			for (Path process : processes.filter((p) -> p.getFileName().toString().matches("[0-9]+")).toList()) {
				try {
					lines.add(new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8));
				}
				catch (IOException ex) {
					// a process that ended meanwhile
				}
			}
		}
		// redis-server sets its own title; its start went through sh -c with the files'
		// paths
		assertThat(lines).as("the command lines of the tasks are read")
			.anyMatch((line) -> line.contains("redis-server"));
		return String.join("\n", lines);
	}

}
