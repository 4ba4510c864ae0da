package io.github.redisonmesos.counter.counting;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import java.util.Set;

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
 * resume a session instead of a full handshake. JSSE reads each TLS record from the
 * socket in two reads, its 5-byte header, then its body: the sockets here read through a
 * buffer, so that one reply costs one {@code read} system call, as it does in plain text
 * (bench/README.md, issue 28).
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
		return new Layering(this.factory, name);
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
	 * Layers TLS over Jedis's connected socket, read through a buffer
	 * ({@link BufferedReads}); with a name, as if it were connected to {@code name}: the
	 * handshake sends it as SNI and the HTTPS identification checks it.
	 */
	private static final class Layering extends SSLSocketFactory {

		private final SSLSocketFactory delegate;

		private final String name;

		Layering(SSLSocketFactory delegate, String name) {
			this.delegate = delegate;
			this.name = name;
		}

		@Override
		public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
			Socket buffered = new BufferedReads(socket);
			if (this.name == null) {
				return this.delegate.createSocket(buffered, host, port, autoClose);
			}
			SSLSocket ssl = (SSLSocket) this.delegate.createSocket(buffered, this.name, port, autoClose);
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

	/**
	 * A connected socket whose input is read through a buffer, for JSSE to layer TLS
	 * over: its record header and body then come from one {@code read} of the socket.
	 * Everything else goes to the socket itself, which JSSE calls for options, addresses
	 * and close.
	 */
	static final class BufferedReads extends Socket {

		// a reply of the counter's script fits many times; a longer record is read
		// straight into JSSE's own buffer past this one
		private static final int BUFFER_BYTES = 8192;

		private final Socket socket;

		private InputStream input;

		BufferedReads(Socket socket) throws SocketException {
			// no socket of its own: every call goes to the connected one
			super((SocketImpl) null);
			this.socket = socket;
		}

		@Override
		public synchronized InputStream getInputStream() throws IOException {
			if (this.input == null) {
				this.input = new BufferedInputStream(this.socket.getInputStream(), BUFFER_BYTES);
			}
			return this.input;
		}

		@Override
		public OutputStream getOutputStream() throws IOException {
			return this.socket.getOutputStream();
		}

		@Override
		public void connect(SocketAddress endpoint, int timeout) throws IOException {
			this.socket.connect(endpoint, timeout);
		}

		@Override
		public void bind(SocketAddress bindpoint) throws IOException {
			this.socket.bind(bindpoint);
		}

		@Override
		public InetAddress getInetAddress() {
			return this.socket.getInetAddress();
		}

		@Override
		public InetAddress getLocalAddress() {
			return this.socket.getLocalAddress();
		}

		@Override
		public int getPort() {
			return this.socket.getPort();
		}

		@Override
		public int getLocalPort() {
			return this.socket.getLocalPort();
		}

		@Override
		public SocketAddress getRemoteSocketAddress() {
			return this.socket.getRemoteSocketAddress();
		}

		@Override
		public SocketAddress getLocalSocketAddress() {
			return this.socket.getLocalSocketAddress();
		}

		@Override
		public SocketChannel getChannel() {
			return this.socket.getChannel();
		}

		@Override
		public void setTcpNoDelay(boolean on) throws SocketException {
			this.socket.setTcpNoDelay(on);
		}

		@Override
		public boolean getTcpNoDelay() throws SocketException {
			return this.socket.getTcpNoDelay();
		}

		@Override
		public void setSoLinger(boolean on, int linger) throws SocketException {
			this.socket.setSoLinger(on, linger);
		}

		@Override
		public int getSoLinger() throws SocketException {
			return this.socket.getSoLinger();
		}

		@Override
		public void setSoTimeout(int timeout) throws SocketException {
			this.socket.setSoTimeout(timeout);
		}

		@Override
		public int getSoTimeout() throws SocketException {
			return this.socket.getSoTimeout();
		}

		@Override
		public void setSendBufferSize(int size) throws SocketException {
			this.socket.setSendBufferSize(size);
		}

		@Override
		public int getSendBufferSize() throws SocketException {
			return this.socket.getSendBufferSize();
		}

		@Override
		public void setReceiveBufferSize(int size) throws SocketException {
			this.socket.setReceiveBufferSize(size);
		}

		@Override
		public int getReceiveBufferSize() throws SocketException {
			return this.socket.getReceiveBufferSize();
		}

		@Override
		public void setKeepAlive(boolean on) throws SocketException {
			this.socket.setKeepAlive(on);
		}

		@Override
		public boolean getKeepAlive() throws SocketException {
			return this.socket.getKeepAlive();
		}

		@Override
		public void setTrafficClass(int tc) throws SocketException {
			this.socket.setTrafficClass(tc);
		}

		@Override
		public int getTrafficClass() throws SocketException {
			return this.socket.getTrafficClass();
		}

		@Override
		public void setReuseAddress(boolean on) throws SocketException {
			this.socket.setReuseAddress(on);
		}

		@Override
		public boolean getReuseAddress() throws SocketException {
			return this.socket.getReuseAddress();
		}

		@Override
		public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
			this.socket.setPerformancePreferences(connectionTime, latency, bandwidth);
		}

		@Override
		public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
			this.socket.setOption(name, value);
			return this;
		}

		@Override
		public <T> T getOption(SocketOption<T> name) throws IOException {
			return this.socket.getOption(name);
		}

		@Override
		public Set<SocketOption<?>> supportedOptions() {
			return this.socket.supportedOptions();
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

		@Override
		public void shutdownInput() throws IOException {
			this.socket.shutdownInput();
		}

		@Override
		public void shutdownOutput() throws IOException {
			this.socket.shutdownOutput();
		}

		@Override
		public boolean isConnected() {
			return this.socket.isConnected();
		}

		@Override
		public boolean isBound() {
			return this.socket.isBound();
		}

		@Override
		public boolean isClosed() {
			return this.socket.isClosed();
		}

		@Override
		public boolean isInputShutdown() {
			return this.socket.isInputShutdown();
		}

		@Override
		public boolean isOutputShutdown() {
			return this.socket.isOutputShutdown();
		}

		@Override
		public String toString() {
			return this.socket.toString();
		}

	}

}
