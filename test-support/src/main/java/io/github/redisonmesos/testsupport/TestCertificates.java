package io.github.redisonmesos.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An operator's CA and a server certificate it signed for 127.0.0.1 and localhost, made
 * at test time with the JDK's keytool (valid two days; once per JVM): the server's key
 * and chain in a PKCS12 key store, the CA's certificate as PEM for the clients' trust.
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

	// seven keytool runs are seven JVM starts (about 2.5 CPU seconds): once per test JVM,
	// in a directory of its own that goes with the JVM
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

	private static TestCertificates make(Path dir) {
		Path ca = dir.resolve("ca.p12");
		Path caPem = dir.resolve("ca.pem");
		Path server = dir.resolve("server.p12");
		Path csr = dir.resolve("server.csr");
		Path signed = dir.resolve("server.pem");
		String ecKey = "-keyalg EC -groupname secp256r1 -validity 2 -storetype PKCS12";
		keytool("-genkeypair -alias ca -dname CN=Test-Operator-CA -ext bc:c " + ecKey + " -keystore " + ca);
		keytool("-exportcert -rfc -alias ca -keystore " + ca + " -file " + caPem);
		keytool("-genkeypair -alias " + SERVER_ALIAS + " -dname CN=localhost " + ecKey + " -keystore " + server);
		keytool("-certreq -alias " + SERVER_ALIAS + " -keystore " + server + " -file " + csr);
		keytool("-gencert -rfc -alias ca -keystore " + ca + " -infile " + csr + " -outfile " + signed
				+ " -validity 2 -ext san=ip:127.0.0.1,dns:localhost -ext eku=serverAuth");
		keytool("-importcert -noprompt -alias ca -keystore " + server + " -file " + caPem);
		keytool("-importcert -alias " + SERVER_ALIAS + " -keystore " + server + " -file " + signed);
		return new TestCertificates(server, caPem);
	}

	private static void keytool(String arguments) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		// the paths of a temporary directory hold no spaces
		command.addAll(List.of(arguments.split(" ")));
		command.addAll(List.of("-storepass", PASSWORD));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("keytool " + arguments + " failed: " + output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
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
