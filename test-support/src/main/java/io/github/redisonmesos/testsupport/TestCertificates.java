package io.github.redisonmesos.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An operator's CA and a server certificate it signed for 127.0.0.1 and localhost, made
 * at test time (valid two days; once per JVM): the server's key and chain in a PKCS12 key
 * store, the CA's certificate as PEM for the clients' trust.
 *
 * @param serverKeyStore the server's PKCS12 key store (key alias {@link #SERVER_ALIAS},
 * password {@link #PASSWORD})
 * @param caCertificate the CA's certificate, PEM
 */
public record TestCertificates(Path serverKeyStore, Path caCertificate) {

	/** The key stores' password. */
	public static final String PASSWORD = "test-store-password";

	/** The alias of the server's key in {@link #serverKeyStore()}. */
	public static final String SERVER_ALIAS = "server";

	private static final Duration VALIDITY = Duration.ofDays(2);

	private static final SecureRandom RANDOM = new SecureRandom();

	private static TestCertificates once;

	/**
	 * A CA and a server certificate in a directory: the same ones for every call in a
	 * JVM.
	 * @param dir where the files go
	 * @return the files
	 */
	public static TestCertificates generate(Path dir) {
		TestCertificates made = madeOnce();
		try {
			return new TestCertificates(
					Files.copy(made.serverKeyStore, dir.resolve("server.p12"), StandardCopyOption.REPLACE_EXISTING),
					Files.copy(made.caCertificate, dir.resolve("ca.pem"), StandardCopyOption.REPLACE_EXISTING));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	// once per test JVM, in a directory of its own that goes with the JVM
	private static synchronized TestCertificates madeOnce() {
		if (once == null) {
			try {
				Path dir = Files.createTempDirectory("test-certificates-");
				Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
				once = make(dir);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return once;
	}

	private static void deleteQuietly(Path dir) {
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory
		}
	}

	// in this JVM with Bouncy Castle, as the broker signs instances' certificates: the
	// seven keytool runs this took were seven JVM starts, about 4.5 CPU seconds per test
	// JVM
	private static TestCertificates make(Path dir) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
			KeyPair caKeys = generator.generateKeyPair();
			KeyPair serverKeys = generator.generateKeyPair();
			Instant now = Instant.now();
			X500Name caName = new X500Name("CN=Test-Operator-CA");
			JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
			JcaX509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serial(),
					Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), caName,
					caKeys.getPublic());
			ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
			ca.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
			ca.addExtension(Extension.subjectKeyIdentifier, false,
					extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
			X509Certificate caCertificate = sign(ca, caKeys);
			JcaX509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(caCertificate, serial(),
					Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)),
					new X500Name("CN=localhost"), serverKeys.getPublic());
			server.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
			server.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
			server.addExtension(Extension.subjectAlternativeName, false,
					new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
							new GeneralName(GeneralName.dNSName, "localhost") }));
			server.addExtension(Extension.authorityKeyIdentifier, false,
					extensions.createAuthorityKeyIdentifier(caCertificate));
			X509Certificate serverCertificate = sign(server, caKeys);
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			store.setKeyEntry(SERVER_ALIAS, serverKeys.getPrivate(), PASSWORD.toCharArray(),
					new Certificate[] { serverCertificate, caCertificate });
			Path serverKeyStore = dir.resolve("server.p12");
			try (OutputStream out = Files.newOutputStream(serverKeyStore)) {
				store.store(out, PASSWORD.toCharArray());
			}
			Path caPem = Files.writeString(dir.resolve("ca.pem"), pem("CERTIFICATE", caCertificate.getEncoded()));
			return new TestCertificates(serverKeyStore, caPem);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException("Cannot make the test CA and server certificate: " + ex.getMessage(), ex);
		}
	}

	private static BigInteger serial() {
		return new BigInteger(127, RANDOM).add(BigInteger.ONE);
	}

	private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer)
			throws OperatorCreationException, GeneralSecurityException {
		return new JcaX509CertificateConverter()
			.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
	}

	/**
	 * The Spring Boot properties that make a server serve HTTPS with the server's key.
	 * @param bundle the bundle's name
	 * @return the properties, as {@code --name=value} arguments
	 */
	public List<String> serverArguments(String bundle) {
		String prefix = "--spring.ssl.bundle.jks." + bundle;
		return List.of("--server.ssl.bundle=" + bundle, prefix + ".keystore.location=file:" + this.serverKeyStore,
				prefix + ".keystore.password=" + PASSWORD, prefix + ".keystore.type=PKCS12",
				prefix + ".key.alias=" + SERVER_ALIAS);
	}

	/**
	 * A client context that trusts the CA alone.
	 * @return the context
	 */
	public SSLContext clientContext() {
		try (InputStream pem = Files.newInputStream(this.caCertificate)) {
			KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
			trust.load(null, null);
			trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
			TrustManagerFactory trustManagers = TrustManagerFactory
				.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trustManagers.init(trust);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trustManagers.getTrustManagers(), null);
			return context;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The server's key (PKCS#8) and certificate as PEM files, as {@code redis-server}'s
	 * {@code --tls-key-file} and {@code --tls-cert-file} read them.
	 * @param dir where the files go ({@code server.key}, mode 0600, and
	 * {@code server.crt})
	 * @return the key file; the certificate is beside it
	 */
	public Path writeServerPem(Path dir) {
		try (InputStream in = Files.newInputStream(this.serverKeyStore)) {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(in, PASSWORD.toCharArray());
			Key key = store.getKey(SERVER_ALIAS, PASSWORD.toCharArray());
			Path keyFile = dir.resolve("server.key");
			Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
			Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
			Files.writeString(dir.resolve("server.crt"),
					pem("CERTIFICATE", store.getCertificate(SERVER_ALIAS).getEncoded()));
			return keyFile;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	/**
	 * The CA's certificate, PEM.
	 * @return its text
	 */
	public String caPem() {
		try {
			return Files.readString(this.caCertificate);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
