package io.github.redisonmesos.broker.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import io.github.redisonmesos.broker.security.RequiredSettingException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Signs each instance's certificate with the operator's CA (docs/TLS.md). A certificate
 * names the instance's Consul DNS name and, while bindings name agents by address, the
 * agent's address; its key is a fresh P-256 key, made for this certificate alone and kept
 * nowhere by the broker. Without a CA ({@code BROKER_TLS_CA_CERTIFICATE} unset) nothing
 * is signed and the instances run as before.
 */
@Component
public class InstanceCertificates {

	private static final Logger logger = LoggerFactory.getLogger(InstanceCertificates.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	// a certificate's start a little in the past, for agents whose clocks run behind
	private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

	private final Optional<Authority> authority;

	private final InstanceTlsProperties properties;

	private final Clock clock;

	public InstanceCertificates(InstanceTlsProperties properties) {
		this.properties = properties;
		this.clock = Clock.systemUTC();
		this.authority = properties.configured() ? Optional.of(Authority.of(properties)) : Optional.empty();
		if (this.authority.isEmpty()) {
			logger.info("tls=off reason=\"no CA: BROKER_TLS_CA_CERTIFICATE and BROKER_TLS_CA_PRIVATE_KEY unset\"");
		}
		else {
			logger.info("tls=on ca_subject=\"{}\" ca_not_after={} default_mode={} certificate_validity={}",
					this.authority.get().certificate().getSubjectX500Principal().getName(),
					this.authority.get().certificate().getNotAfter().toInstant(), properties.defaultMode().parameter(),
					properties.certificateValidity());
		}
	}

	/**
	 * Whether the operator gave a CA, so that instances can have TLS.
	 * @return true with a CA
	 */
	public boolean enabled() {
		return this.authority.isPresent();
	}

	/**
	 * The operator's CA certificate, which bound apps trust.
	 * @return PEM
	 * @throws IllegalStateException without a CA
	 */
	public String caCertificate() {
		return authority().pem();
	}

	/**
	 * Sockets that trust the operator's CA alone: the broker's own connections to the
	 * instances with TLS. They check the chain, not the name: the broker reaches a Redis
	 * at the address Consul lists, which a certificate names only with host style
	 * {@code address} (docs/TLS.md).
	 * @return the factory
	 * @throws IllegalStateException without a CA
	 */
	public SSLSocketFactory trustingTheCa() {
		return authority().sockets();
	}

	/**
	 * A new certificate and key for one instance.
	 * @param dnsNames the names it answers to, the Consul DNS name first
	 * @param addresses IP addresses it answers to (the agent's, with host style
	 * {@code address}); may be empty
	 * @return the certificate, its key and the CA certificate
	 * @throws IllegalStateException without a CA
	 */
	public IssuedCertificate issue(List<String> dnsNames, List<String> addresses) {
		if (dnsNames.isEmpty()) {
			throw new IllegalArgumentException("An instance's certificate names at least its Consul DNS name");
		}
		Authority ca = authority();
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
			KeyPair pair = generator.generateKeyPair();
			Instant now = this.clock.instant();
			Instant notAfter = notAfter(now);
			X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, dnsNames.get(0)).build();
			JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(),
					new BigInteger(127, RANDOM).add(BigInteger.ONE), Date.from(now.minus(CLOCK_SKEW)),
					Date.from(notAfter), subject, pair.getPublic());
			JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
			builder.addExtension(Extension.keyUsage, true,
					new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
			// server for clients, client for replicas and Sentinels that connect with it
			builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
					new KeyPurposeId[] { KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }));
			builder.addExtension(Extension.subjectAlternativeName, false, names(dnsNames, addresses));
			builder.addExtension(Extension.subjectKeyIdentifier, false,
					extensions.createSubjectKeyIdentifier(pair.getPublic()));
			builder.addExtension(Extension.authorityKeyIdentifier, false,
					extensions.createAuthorityKeyIdentifier(ca.certificate()));
			X509CertificateHolder holder = builder
				.build(new JcaContentSignerBuilder(signatureAlgorithm(ca.key())).build(ca.key()));
			X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
			return new IssuedCertificate(pem(certificate), pem(pair.getPrivate()), ca.pem());
		}
		catch (GeneralSecurityException | OperatorCreationException | IOException ex) {
			throw new IllegalStateException(
					"Cannot sign an instance's certificate with the operator's CA: " + ex.getMessage(), ex);
		}
	}

	/**
	 * When a certificate issued at a given time expires: after
	 * {@code BROKER_TLS_CERTIFICATE_VALIDITY}, never after the CA.
	 * @param issuedAt when it was issued (a delivery's {@code deliveredAt})
	 * @return its {@code notAfter}
	 * @throws IllegalStateException without a CA
	 */
	public Instant notAfter(Instant issuedAt) {
		Instant notAfter = issuedAt.plus(this.properties.certificateValidity());
		Instant caNotAfter = authority().certificate().getNotAfter().toInstant();
		return notAfter.isAfter(caNotAfter) ? caNotAfter : notAfter;
	}

	/**
	 * Whether a certificate is due for renewal ({@code BROKER_TLS_RENEW_BEFORE}).
	 * @param notAfter the certificate's expiry
	 * @return true once less than the renewal time is left
	 */
	public boolean dueForRenewal(Instant notAfter) {
		return !this.clock.instant().plus(this.properties.renewBefore()).isBefore(notAfter);
	}

	private static GeneralNames names(List<String> dnsNames, List<String> addresses) {
		List<GeneralName> names = new ArrayList<>();
		dnsNames.forEach((name) -> names.add(new GeneralName(GeneralName.dNSName, name)));
		for (String address : addresses) {
			if (!isIpLiteral(address)) {
				names.add(new GeneralName(GeneralName.dNSName, address));
			}
			else {
				names.add(new GeneralName(GeneralName.iPAddress, address));
			}
		}
		return new GeneralNames(names.toArray(GeneralName[]::new));
	}

	// an agent is named by its address or by its host name: an iPAddress entry only for
	// the former (InetAddress would resolve a name)
	private static boolean isIpLiteral(String address) {
		return address.matches("[0-9.]+") || address.contains(":");
	}

	private static String signatureAlgorithm(PrivateKey key) {
		return switch (key.getAlgorithm()) {
			case "RSA" -> "SHA256withRSA";
			case "EC", "ECDSA" -> "SHA256withECDSA";
			case "Ed25519", "EdDSA" -> "Ed25519";
			default -> throw new IllegalStateException("The operator's CA key is a " + key.getAlgorithm()
					+ " key; the broker signs with an RSA, EC or Ed25519 CA key");
		};
	}

	private Authority authority() {
		return this.authority.orElseThrow(() -> new IllegalStateException(
				"TLS needs the operator's CA: set BROKER_TLS_CA_CERTIFICATE and BROKER_TLS_CA_PRIVATE_KEY"));
	}

	/**
	 * PEM of a certificate, or of a private key as PKCS#8 ({@code BEGIN PRIVATE KEY}),
	 * the form OpenSSL and the JDK both read.
	 * @param object a certificate or a private key
	 * @return PEM
	 */
	static String pem(Object object) {
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			writer.writeObject((object instanceof PrivateKey key) ? new JcaPKCS8Generator(key, null) : object);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString();
	}

	/** The operator's CA, read once at start. */
	private record Authority(X509Certificate certificate, PrivateKey key, String pem, SSLSocketFactory sockets) {

		static Authority of(InstanceTlsProperties properties) {
			if (properties.caCertificate().isEmpty() || properties.caPrivateKey().isEmpty()) {
				throw new RequiredSettingException(
						"Only one of BROKER_TLS_CA_CERTIFICATE and BROKER_TLS_CA_PRIVATE_KEY is set.",
						"Set both (the CA's certificate and its private key, PEM) to sign the instances' "
								+ "certificates, or neither to run the instances without TLS.");
			}
			X509Certificate certificate = certificate(properties.caCertificate());
			PrivateKey key = key(properties.caPrivateKey());
			try {
				// the key must be the certificate's: a certificate signed with another
				// key would
				// not verify against the CA the bindings hand out
				String algorithm = signatureAlgorithm(key);
				java.security.Signature signer = java.security.Signature.getInstance(algorithm);
				signer.initSign(key);
				byte[] probe = "redis-on-mesos".getBytes(java.nio.charset.StandardCharsets.UTF_8);
				signer.update(probe);
				byte[] signature = signer.sign();
				java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
				verifier.initVerify(certificate.getPublicKey());
				verifier.update(probe);
				if (!verifier.verify(signature)) {
					throw new RequiredSettingException(
							"BROKER_TLS_CA_PRIVATE_KEY is not the key of the certificate in BROKER_TLS_CA_CERTIFICATE.",
							"Set the CA certificate and its own private key.");
				}
			}
			catch (GeneralSecurityException ex) {
				throw new RequiredSettingException(
						"BROKER_TLS_CA_PRIVATE_KEY does not match BROKER_TLS_CA_CERTIFICATE: " + ex.getMessage(),
						"Set the CA certificate and its own private key.");
			}
			if (certificate.getBasicConstraints() < 0) {
				throw new RequiredSettingException(
						"BROKER_TLS_CA_CERTIFICATE is not a CA certificate (no basicConstraints CA:true).",
						"Set the certificate of an (intermediate) CA that may sign server certificates.");
			}
			return new Authority(certificate, key, InstanceCertificates.pem(certificate), trusting(certificate));
		}

		private static SSLSocketFactory trusting(X509Certificate ca) {
			try {
				KeyStore trust = KeyStore.getInstance("PKCS12");
				trust.load(null, null);
				trust.setCertificateEntry("operator-ca", ca);
				TrustManagerFactory factory = TrustManagerFactory
					.getInstance(TrustManagerFactory.getDefaultAlgorithm());
				factory.init(trust);
				SSLContext context = SSLContext.getInstance("TLS");
				context.init(null, factory.getTrustManagers(), null);
				return context.getSocketFactory();
			}
			catch (GeneralSecurityException | IOException ex) {
				throw new IllegalStateException("Cannot trust the operator's CA: " + ex.getMessage(), ex);
			}
		}

		private static X509Certificate certificate(String pem) {
			try (PEMParser parser = new PEMParser(new StringReader(pem))) {
				if (parser.readObject() instanceof X509CertificateHolder holder) {
					return new JcaX509CertificateConverter().getCertificate(holder);
				}
			}
			catch (IOException | GeneralSecurityException ex) {
				// the sentence below says what to set
			}
			throw new RequiredSettingException("BROKER_TLS_CA_CERTIFICATE is not a PEM certificate.",
					"Set the CA's certificate, -----BEGIN CERTIFICATE----- ... (the text itself).");
		}

		// never the key's text or the parser's message (which may quote it) in the error
		private static PrivateKey key(String pem) {
			try (PEMParser parser = new PEMParser(new StringReader(pem))) {
				Object read = parser.readObject();
				JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
				if (read instanceof PEMKeyPair pair) {
					return converter.getPrivateKey(pair.getPrivateKeyInfo());
				}
				if (read instanceof PrivateKeyInfo info) {
					return converter.getPrivateKey(info);
				}
			}
			catch (IOException | RuntimeException ex) {
				// the sentence below says what to set
			}
			throw new RequiredSettingException(
					"BROKER_TLS_CA_PRIVATE_KEY is not an unencrypted PEM private key (PKCS#8 or RSA/EC).",
					"Set the CA's private key, -----BEGIN PRIVATE KEY----- ... (the text itself).");
		}

	}

}
