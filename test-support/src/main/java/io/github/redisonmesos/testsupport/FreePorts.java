package io.github.redisonmesos.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free loopback ports for processes that cannot pick one themselves.
 */
public final class FreePorts {

	private FreePorts() {
	}

	/**
	 * A port free on 127.0.0.1 now, from the system's ephemeral range.
	 * @return the port
	 */
	public static int next() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The first of two neighbouring ports that are free on 127.0.0.1 now, between 41000
	 * and 42000, for a range of exactly two ports.
	 * @return the lower port
	 */
	public static int firstOfTwoNeighbours() {
		for (int port = 41000; port < 42000; port += 2) {
			try (ServerSocket a = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
					ServerSocket b = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
				return Math.min(a.getLocalPort(), b.getLocalPort());
			}
			catch (IOException ex) {
				// taken: try the next pair
			}
		}
		throw new IllegalStateException("No two free neighbouring ports in 41000-42000");
	}

}
