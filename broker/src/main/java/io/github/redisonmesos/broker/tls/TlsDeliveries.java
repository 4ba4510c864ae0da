package io.github.redisonmesos.broker.tls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import io.github.redisonmesos.broker.records.Versioned;
import io.github.redisonmesos.broker.security.RequiredSettingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Hands an instance's key and certificate to its node once (docs/TLS.md): each render of
 * an app with TLS gets a fresh single-use token in its {@code fetch} URI; the first fetch
 * with it gets a new key and certificate, made then and kept nowhere by the broker; any
 * later fetch (a restart of the task, or whoever read the URI) gets the CA certificate
 * alone, and the node keeps the key already on its volume.
 */
@Component
public class TlsDeliveries {

	private static final Logger logger = LoggerFactory.getLogger(TlsDeliveries.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	/**
	 * The file the Mesos fetcher writes into the sandbox, which the {@code cmd} reads.
	 */
	public static final String SANDBOX_FILE = "tls-delivery.pem";

	private final TlsDeliveryRecords records;

	private final InstanceCertificates certificates;

	private final TlsDeliveryProperties properties;

	private final Clock clock = Clock.systemUTC();

	TlsDeliveries(TlsDeliveryRecords records, InstanceCertificates certificates, TlsDeliveryProperties properties) {
		this.records = records;
		this.certificates = certificates;
		this.properties = properties;
		if (certificates.enabled() && properties.url().isBlank()) {
			throw new RequiredSettingException("BROKER_TLS_CA_CERTIFICATE is set, but BROKER_TLS_DELIVERY_URL is not.",
					"Set BROKER_TLS_DELIVERY_URL to the broker's base URL as the Mesos agents reach it (its HTTPS "
							+ "route), from which each TLS instance fetches its key and certificate once.");
		}
	}

	/**
	 * A new single-use fetch URI for an app about to be rendered with TLS; any earlier
	 * token of the instance stops working.
	 * @param instanceId the instance id (valid by the id rule)
	 * @return the URI the Mesos fetcher downloads the delivery from
	 */
	public String newFetchUri(String instanceId) {
		return newFetchUri(instanceId, OptionalInt.empty());
	}

	/**
	 * A new single-use fetch URI for one app of an instance about to be rendered with
	 * TLS: a single Redis, or one node of an HA instance (each node has a key and
	 * certificate of its own); any earlier token of that app stops working.
	 * @param instanceId the instance id (valid by the id rule)
	 * @param node the HA node's index, empty for a single Redis
	 * @return the URI the Mesos fetcher downloads the delivery from
	 */
	public String newFetchUri(String instanceId, OptionalInt node) {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		this.records.put(new TlsDelivery(instanceId, sha256(token), this.clock.instant(), null,
				node.isPresent() ? node.getAsInt() : null));
		logger.info("event=tls_delivery_issued instance_id={}{}", instanceId, nodeField(node));
		UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(this.properties.url())
			.pathSegment("tls", "v1", "instances", instanceId);
		node.ifPresent((index) -> uri.pathSegment("nodes", Integer.toString(index)));
		return uri.pathSegment("delivery").queryParam("token", token).build().encode().toUriString();
	}

	/**
	 * What a fetch gets: the key, certificate and CA the first time the instance's
	 * current token is used, the CA alone otherwise.
	 * @param instanceId the instance id
	 * @param token the token of the fetch URI
	 * @param dnsNames the names the certificate gives
	 * @param addresses the addresses it gives
	 * @return the PEM text the node reads
	 */
	public String deliver(String instanceId, String token, List<String> dnsNames, List<String> addresses) {
		return deliver(instanceId, OptionalInt.empty(), token, dnsNames, addresses);
	}

	/**
	 * What a fetch of one app gets: the key, certificate and CA the first time the app's
	 * current token is used, the CA alone otherwise.
	 * @param instanceId the instance id
	 * @param node the HA node's index, empty for a single Redis
	 * @param token the token of the fetch URI
	 * @param dnsNames the names the certificate gives
	 * @param addresses the addresses it gives
	 * @return the PEM text the node reads
	 */
	public String deliver(String instanceId, OptionalInt node, String token, List<String> dnsNames,
			List<String> addresses) {
		Optional<Versioned<TlsDelivery>> found = this.records.find(instanceId, node);
		String hash = sha256((token != null) ? token : "");
		if (found.isEmpty() || found.get().value().delivered()
				|| !MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
						found.get().value().tokenSha256().getBytes(StandardCharsets.US_ASCII))) {
			logger.info("event=tls_delivery_ca_only instance_id={}{} reason={}", instanceId, nodeField(node),
					found.isEmpty() ? "no_delivery" : found.get().value().delivered() ? "used" : "other_token");
			return this.certificates.caCertificate();
		}
		// exactly one fetch wins the token
		if (!this.records.replace(found.get(), found.get().value().deliveredAt(this.clock.instant()))) {
			logger.info("event=tls_delivery_ca_only instance_id={}{} reason=raced", instanceId, nodeField(node));
			return this.certificates.caCertificate();
		}
		IssuedCertificate issued = this.certificates.issue(dnsNames, addresses);
		logger.info("event=tls_delivered instance_id={}{} names={} addresses={}", instanceId, nodeField(node), dnsNames,
				addresses);
		return issued.privateKey() + issued.certificate() + issued.caCertificate();
	}

	private static String nodeField(OptionalInt node) {
		return node.isPresent() ? " node=" + node.getAsInt() : "";
	}

	static String sha256(String token) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JVM has SHA-256", ex);
		}
	}

}
