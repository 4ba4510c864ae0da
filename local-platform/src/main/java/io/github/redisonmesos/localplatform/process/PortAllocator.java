package io.github.redisonmesos.localplatform.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.stereotype.Component;

/**
 * Picks free loopback ports for tasks, as Mesos offers host ports to Marathon.
 */
@Component
public class PortAllocator {

	/**
	 * Picks ports that are free now and not among {@code avoid} (so a restarted task
	 * moves to a new port).
	 * @param count how many ports
	 * @param avoid ports not to hand out
	 * @return the ports
	 */
	public List<Integer> allocate(int count, Collection<Integer> avoid) {
		List<Integer> ports = new ArrayList<>();
		List<ServerSocket> held = new ArrayList<>();
		try {
			// Holding every socket until all are picked keeps the ports of one task
			// distinct.
			while (ports.size() < count) {
				ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				held.add(socket);
				if (!avoid.contains(socket.getLocalPort())) {
					ports.add(socket.getLocalPort());
				}
			}
			return ports;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free loopback port left", ex);
		}
		finally {
			for (ServerSocket socket : held) {
				try {
					socket.close();
				}
				catch (IOException ex) {
					// Closing a listening socket that was never used cannot lose
					// anything.
				}
			}
		}
	}

}
