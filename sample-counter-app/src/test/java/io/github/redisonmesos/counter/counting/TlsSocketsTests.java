package io.github.redisonmesos.counter.counting;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLSocket;

import io.github.redisonmesos.counter.binding.RedisTls;
import io.github.redisonmesos.counter.support.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The TLS sockets the app layers over its connections to Redis, against a real
 * redis-server's TLS port: a reply costs one read of the socket (JSSE alone reads a
 * record's header and its body apart), and the socket's timeout and close still reach the
 * connected socket under the buffer.
 */
class TlsSocketsTests {

	static final String USER = "b-2f8e4c1a-7d3b-4a9e-8c6f-1e5d4b3a2c10";

	static final String PASSWORD = "Hx4mQ9tV2bN7kR1wL6pS3dF8gJ5cZ0aY";

	private static final int PINGS = 50;

	@RegisterExtension
	static final Backends backends = Backends.withTls(USER, PASSWORD, false, "localhost");

	@Test
	void eachReplyOverTlsCostsOneReadOfTheConnectedSocket() throws IOException {
		AtomicInteger reads = new AtomicInteger();
		try (Socket connected = countingReads(reads); SSLSocket tls = layered(connected)) {
			OutputStream out = tls.getOutputStream();
			InputStream in = tls.getInputStream();
			send(out, "AUTH", USER, PASSWORD);
			assertThat(readLine(in)).isEqualTo("+OK");
			// the server's session tickets after the handshake are read with the first
			// reply
			send(out, "PING");
			assertThat(readLine(in)).isEqualTo("+PONG");
			int before = reads.get();

			for (int i = 0; i < PINGS; i++) {
				send(out, "PING");
				assertThat(readLine(in)).isEqualTo("+PONG");
			}

			// without the buffer: 2 per reply, the record's header, then its body
			assertThat(reads.get() - before).isEqualTo(PINGS);
		}
	}

	@Test
	void theSocketTimeoutAndCloseReachTheConnectedSocket() throws IOException {
		try (Socket connected = countingReads(new AtomicInteger()); SSLSocket tls = layered(connected)) {
			tls.setSoTimeout(300);
			assertThat(connected.getSoTimeout()).isEqualTo(300);
			OutputStream out = tls.getOutputStream();
			InputStream in = tls.getInputStream();
			send(out, "AUTH", USER, PASSWORD);
			assertThat(readLine(in)).isEqualTo("+OK");
			try (Jedis admin = backends.redis().admin()) {
				// Redis holds every client's commands for 1.5 s (then answers them)
				admin.clientPause(1500);
			}
			send(out, "PING");

			long start = System.nanoTime();
			assertThatThrownBy(() -> readLine(in)).isInstanceOf(SocketTimeoutException.class);
			assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1400);

			tls.close();
			assertThat(connected.isClosed()).isTrue();
		}
	}

	private static SSLSocket layered(Socket connected) throws IOException {
		TlsSockets sockets = new TlsSockets(
				new RedisTls(backends.certificates().caPem(), backends.tlsPort(), "localhost"));
		SSLSocket tls = (SSLSocket) sockets.forHost("127.0.0.1")
			.createSocket(connected, "127.0.0.1", backends.tlsPort(), true);
		tls.startHandshake();
		return tls;
	}

	// a real socket to Redis's TLS port whose input counts the reads that return bytes
	private static Socket countingReads(AtomicInteger reads) throws IOException {
		Socket socket = new Socket() {

			@Override
			public InputStream getInputStream() throws IOException {
				return new FilterInputStream(super.getInputStream()) {

					@Override
					public int read(byte[] buffer, int offset, int length) throws IOException {
						int n = super.read(buffer, offset, length);
						if (n > 0) {
							reads.incrementAndGet();
						}
						return n;
					}

				};
			}

		};
		socket.connect(new InetSocketAddress("127.0.0.1", backends.tlsPort()), 2000);
		socket.setTcpNoDelay(true);
		return socket;
	}

	private static void send(OutputStream out, String... command) throws IOException {
		StringBuilder resp = new StringBuilder("*").append(command.length).append("\r\n");
		for (String part : command) {
			resp.append('$')
				.append(part.getBytes(StandardCharsets.UTF_8).length)
				.append("\r\n")
				.append(part)
				.append("\r\n");
		}
		out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != '\n') {
			if (c < 0) {
				throw new IOException("Redis closed the connection");
			}
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

}
