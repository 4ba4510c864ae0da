package io.github.redisonmesos.broker.tls;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import io.github.redisonmesos.broker.deployment.TlsMode;
import io.github.redisonmesos.broker.security.RequiredSettingException;
import io.github.redisonmesos.testsupport.FreePorts;
import io.github.redisonmesos.testsupport.RedisServerProcess;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An instance's certificate, signed with an operator's CA made here, verifies against
 * that CA alone with the names a binding hands out, by the JDK's PKIX validation, a TLS
 * handshake with hostname verification and a real {@code redis-server} with TLS.
 */
class InstanceCertificatesTests {

	private static final String DNS_NAME = "redis-4f1a2b.service.consul";

	@Test
	void aCertificateSignedWithAnEcCaVerifiesAgainstItWithTheConsulDnsName() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		IssuedCertificate issued = new InstanceCertificates(ca.properties()).issue(List.of(DNS_NAME), List.of());
		X509Certificate certificate = certificate(issued.certificate());
		validate(certificate, ca.certificate());
		assertThat(certificate.getSubjectAlternativeNames()).containsExactly(List.of(2, DNS_NAME));
		assertThat(issued.caCertificate()).isEqualTo(ca.certificatePem());
		assertKeyMatches(issued);
		assertThat(handshake(issued, ca, DNS_NAME)).isEqualTo("TLSv1.3");
	}

	@Test
	void aCertificateSignedWithAnRsaCaNamesTheAgentsAddressToo() throws Exception {
		TestCa ca = TestCa.generate("RSA", "Operator RSA CA");
		IssuedCertificate issued = new InstanceCertificates(ca.properties()).issue(List.of(DNS_NAME),
				List.of("10.0.3.7", "agent-3.dc1.example"));
		X509Certificate certificate = certificate(issued.certificate());
		validate(certificate, ca.certificate());
		assertThat(certificate.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(2, DNS_NAME),
				List.of(7, "10.0.3.7"), List.of(2, "agent-3.dc1.example"));
		assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
		assertKeyMatches(issued);
	}

	@Test
	void aHostTheCertificateDoesNotNameFailsHostnameVerification() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		IssuedCertificate issued = new InstanceCertificates(ca.properties()).issue(List.of(DNS_NAME), List.of());
		assertThatThrownBy(() -> handshake(issued, ca, "redis-other.service.consul"))
			.hasStackTraceContaining("No subject alternative DNS name matching redis-other.service.consul");
	}

	@Test
	void aCertificateOfAnotherCaDoesNotVerify() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		TestCa other = TestCa.generate("EC", "Operator EC CA");
		IssuedCertificate issued = new InstanceCertificates(ca.properties()).issue(List.of(DNS_NAME), List.of());
		assertThatThrownBy(() -> validate(certificate(issued.certificate()), other.certificate()))
			.isInstanceOf(java.security.cert.CertPathValidatorException.class);
	}

	@Test
	void aRealRedisServesTlsWithTheIssuedFilesAndAJedisClientTrustingOnlyTheCa(@TempDir Path dir) throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		IssuedCertificate issued = new InstanceCertificates(ca.properties()).issue(List.of(DNS_NAME),
				List.of("127.0.0.1"));
		Files.writeString(dir.resolve("redis.crt"), issued.certificate());
		Files.writeString(dir.resolve("redis.key"), issued.privateKey());
		Files.writeString(dir.resolve("ca.crt"), issued.caCertificate());
		int tlsPort = FreePorts.next();
		int port = FreePorts.next();
		try (RedisServerProcess redis = RedisServerProcess
			.redisServer(port, List.of("--tls-port", String.valueOf(tlsPort), "--tls-cert-file",
					dir.resolve("redis.crt").toString(), "--tls-key-file", dir.resolve("redis.key").toString(),
					"--tls-ca-cert-file", dir.resolve("ca.crt").toString(), "--tls-auth-clients", "no", "--save", ""))
			.log(dir.resolve("redis.log"))
			.start();
				Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", tlsPort),
						DefaultJedisClientConfig.builder()
							.ssl(true)
							.sslSocketFactory(ca.certificates().trustingTheCa())
							.sslParameters(verifyingHostname())
							.build())) {
			assertThat(jedis.ping()).isEqualTo("PONG");
			assertThat(redis.isUp()).isTrue();
		}
	}

	@Test
	void thePropertiesNeverShowTheCaKey() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		String shown = ca.properties().toString();
		assertThat(shown).doesNotContain("PRIVATE KEY")
			.doesNotContain(ca.privateKeyPem().lines().skip(1).findFirst().get());
		assertThat(new InstanceCertificates(ca.properties()).issue(List.of(DNS_NAME), List.of()).toString())
			.doesNotContain("PRIVATE KEY");
	}

	@Test
	void withoutACaTlsIsOffAndNothingIsSigned() {
		InstanceCertificates certificates = new InstanceCertificates(
				new InstanceTlsProperties("", "", TlsMode.DISABLED, Duration.ofDays(365), Duration.ofDays(30)));
		assertThat(certificates.enabled()).isFalse();
		assertThatThrownBy(() -> certificates.issue(List.of(DNS_NAME), List.of()))
			.hasMessageContaining("BROKER_TLS_CA_CERTIFICATE");
	}

	@Test
	void aKeyThatIsNotTheCertificatesStopsStartUpNamingTheVariable() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		TestCa other = TestCa.generate("EC", "Operator EC CA");
		assertThatThrownBy(() -> new InstanceCertificates(new InstanceTlsProperties(ca.certificatePem(),
				other.privateKeyPem(), TlsMode.DISABLED, Duration.ofDays(365), Duration.ofDays(30))))
			.isInstanceOf(RequiredSettingException.class)
			.hasMessageContaining("BROKER_TLS_CA_PRIVATE_KEY is not the key of the certificate");
		assertThatThrownBy(() -> new InstanceCertificates(new InstanceTlsProperties(ca.certificatePem(), "",
				TlsMode.DISABLED, Duration.ofDays(365), Duration.ofDays(30))))
			.isInstanceOf(RequiredSettingException.class)
			.hasMessageContaining("Only one of BROKER_TLS_CA_CERTIFICATE and BROKER_TLS_CA_PRIVATE_KEY");
		assertThatThrownBy(() -> new InstanceCertificates(new InstanceTlsProperties(ca.certificatePem(),
				"-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----", TlsMode.DISABLED,
				Duration.ofDays(365), Duration.ofDays(30))))
			.isInstanceOf(RequiredSettingException.class)
			.hasMessageNotContaining("not a key");
	}

	@Test
	void aCertificateIsRenewedOnceLessThanTheRenewalTimeIsLeft() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		InstanceCertificates certificates = new InstanceCertificates(ca.properties());
		assertThat(certificates.dueForRenewal(Instant.now().plus(Duration.ofDays(31)))).isFalse();
		assertThat(certificates.dueForRenewal(Instant.now().plus(Duration.ofDays(29)))).isTrue();
	}

	@Test
	void noCertificateOutlivesItsCa() throws Exception {
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		X509Certificate certificate = certificate(
				new InstanceCertificates(ca.properties()).issue(List.of(DNS_NAME), List.of()).certificate());
		assertThat(certificate.getNotAfter()).isBeforeOrEqualTo(ca.certificate().getNotAfter());
	}

	static X509Certificate certificate(String pem) throws CertificateException {
		return (X509Certificate) CertificateFactory.getInstance("X.509")
			.generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
	}

	static void validate(X509Certificate certificate, X509Certificate ca) throws Exception {
		PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
		parameters.setRevocationEnabled(false);
		CertPathValidator.getInstance("PKIX")
			.validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate)), parameters);
	}

	private static void assertKeyMatches(IssuedCertificate issued) throws Exception {
		PrivateKey key = key(issued.privateKey());
		byte[] data = "key matches".getBytes(StandardCharsets.UTF_8);
		Signature signer = Signature.getInstance("SHA256withECDSA");
		signer.initSign(key);
		signer.update(data);
		Signature verifier = Signature.getInstance("SHA256withECDSA");
		verifier.initVerify(certificate(issued.certificate()).getPublicKey());
		verifier.update(data);
		assertThat(verifier.verify(signer.sign())).isTrue();
	}

	static PrivateKey key(String pem) throws Exception {
		try (PEMParser parser = new PEMParser(new StringReader(pem))) {
			Object read = parser.readObject();
			assertThat(read).as("a PKCS#8 key, BEGIN PRIVATE KEY").isInstanceOf(PrivateKeyInfo.class);
			return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) read);
		}
	}

	static SSLParameters verifyingHostname() {
		SSLParameters parameters = new SSLParameters();
		parameters.setEndpointIdentificationAlgorithm("HTTPS");
		return parameters;
	}

	// a JDK server with the issued key and certificate, and a client that trusts only the
	// CA and checks that the certificate names the host it asked for
	private static String handshake(IssuedCertificate issued, TestCa ca, String host) throws Exception {
		char[] password = "unused".toCharArray();
		KeyStore keys = KeyStore.getInstance("PKCS12");
		keys.load(null, null);
		keys.setKeyEntry("redis", key(issued.privateKey()), password,
				new X509Certificate[] { certificate(issued.certificate()) });
		KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keyManagers.init(keys, password);
		SSLContext server = SSLContext.getInstance("TLS");
		server.init(keyManagers.getKeyManagers(), null, null);
		try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
			.createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
				try (SSLSocket socket = (SSLSocket) listener.accept()) {
					socket.startHandshake();
				}
				catch (Exception ex) {
					// the client's side says why
				}
			});
			try (Socket plain = new Socket()) {
				plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 5000);
				try (SSLSocket socket = (SSLSocket) ca.certificates()
					.trustingTheCa()
					.createSocket(plain, host, listener.getLocalPort(), false)) {
					socket.setSSLParameters(verifyingHostname());
					socket.startHandshake();
					return socket.getSession().getProtocol();
				}
			}
			finally {
				accepted.get(10, TimeUnit.SECONDS);
			}
		}
	}

}
