package io.github.redisonmesos.localplatform.process;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/**
 * The network probes of Marathon/Mesos health checks, aimed at the task's agent address
 * (a task that listens on 127.0.0.1 only fails them, as it would on a real agent).
 */
public final class Probes {

	private Probes() {
	}

	/**
	 * A TCP check: passes when a connection is accepted.
	 * @param host the task's agent address
	 * @param port the task port
	 * @param timeout connect timeout
	 * @return whether the port accepted a connection
	 */
	public static boolean tcp(String host, int port, Duration timeout) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getByName(host), port), (int) timeout.toMillis());
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * An HTTP check: passes on a 2xx or 3xx answer, as Marathon's does.
	 * @param host the task's agent address
	 * @param port the task port
	 * @param path the request path
	 * @param timeout connect and read timeout
	 * @return whether the answer was 2xx or 3xx
	 */
	public static boolean http(String host, int port, String path, Duration timeout) {
		try {
			String normalized = (path == null || path.isEmpty()) ? "/" : path;
			HttpURLConnection connection = (HttpURLConnection) URI.create("http://" + host + ":" + port + normalized)
				.toURL()
				.openConnection();
			connection.setConnectTimeout((int) timeout.toMillis());
			connection.setReadTimeout((int) timeout.toMillis());
			connection.setInstanceFollowRedirects(false);
			try {
				int status = connection.getResponseCode();
				return status >= 200 && status < 400;
			}
			finally {
				connection.disconnect();
			}
		}
		catch (IOException | IllegalArgumentException ex) {
			return false;
		}
	}

}
