package io.github.redisonmesos.counter.counting;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import io.github.redisonmesos.counter.binding.RedisTls;

/**
 * TLS sockets to Redis that trust only the binding's CA and, when a DNS name is known,
 * check that the certificate names it, whatever address the socket is connected to (a
 * Consul answer gives the agent's address; the certificate names the instance's Consul
 * DNS name). One {@link SSLContext} per app: its session cache lets new connections
 * resume a session instead of a full handshake.
 */
final class TlsSockets {

	private final SSLSocketFactory factory;

	private final RedisTls tls;

	TlsSockets(RedisTls tls) {
		this.tls = tls;
		this.factory = contextTrusting(tls.caCertificate()).getSocketFactory();
	}

	/**
	 * The socket factory for one Redis host.
	 * @param host the host discovery gave
	 * @return a factory whose sockets check the certificate names the binding's host,
	 * else {@code host}, whichever is a DNS name; with addresses only, the chain alone
	 */
	SSLSocketFactory forHost(String host) {
		String name = (this.tls.serverName() != null) ? this.tls.serverName() : RedisTls.isName(host) ? host : null;
		return (name != null) ? new Naming(this.factory, name) : this.factory;
	}

	static SSLContext contextTrusting(String caPem) {
		try {
			Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
				.generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
			if (certificates.isEmpty()) {
				throw new IllegalStateException("The binding's ca_certificate holds no certificate; check the binding");
			}
			KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
			trusted.load(null, null);
			int i = 0;
			for (Certificate certificate : certificates) {
				trusted.setCertificateEntry("binding-ca-" + i++, certificate);
			}
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(trusted);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("The binding's ca_certificate cannot be read as an X.509 certificate ("
					+ ex.getClass().getSimpleName() + "); check the binding", ex);
		}
	}

	/**
	 * Layers TLS over Jedis's connected socket as if it were connected to {@code name}:
	 * the handshake sends it as SNI and the HTTPS identification checks it.
	 */
	private static final class Naming extends SSLSocketFactory {

		private final SSLSocketFactory delegate;

		private final String name;

		Naming(SSLSocketFactory delegate, String name) {
			this.delegate = delegate;
			this.name = name;
		}

		@Override
		public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
			SSLSocket ssl = (SSLSocket) this.delegate.createSocket(socket, this.name, port, autoClose);
			SSLParameters parameters = ssl.getSSLParameters();
			parameters.setServerNames(List.of(new SNIHostName(this.name)));
			// hostname verification, HTTPS rules: a subjectAltName DNS entry must match
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
			ssl.setSSLParameters(parameters);
			return ssl;
		}

		@Override
		public String[] getDefaultCipherSuites() {
			return this.delegate.getDefaultCipherSuites();
		}

		@Override
		public String[] getSupportedCipherSuites() {
			return this.delegate.getSupportedCipherSuites();
		}

		@Override
		public Socket createSocket(String host, int port) throws IOException {
			throw unconnected();
		}

		@Override
		public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
			throw unconnected();
		}

		@Override
		public Socket createSocket(InetAddress host, int port) throws IOException {
			throw unconnected();
		}

		@Override
		public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
				throws IOException {
			throw unconnected();
		}

		private static UnsupportedOperationException unconnected() {
			return new UnsupportedOperationException("Jedis connects the socket itself, then layers TLS over it");
		}

	}

}
