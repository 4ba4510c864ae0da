package io.github.redisonmesos.localplatform.process;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.github.redisonmesos.localplatform.LocalPlatformProperties;

import org.springframework.stereotype.Component;

/**
 * Hands host ports to tasks as a Mesos agent offers its port resource: a port stays
 * reserved for its task until the task has ended, so two tasks never get the same port
 * even while neither has bound it yet, and a released port rests for a while, so a
 * restarted task with dynamic ports moves to a new port. A required port is offered only
 * when no task holds it and no program listens on it on any address. The agents share
 * this machine's one port space (a program not started by the platform may bind all
 * addresses), so this is one allocator for all of them: stricter than Mesos, where two
 * agents may hand out the same port number. Which ports an agent offers to which app (its
 * ranges and roles) the caller decides.
 */
@Component
public class PortAllocator {

	// Enough that a restart never lands on the port its predecessor had.
	private static final int RESTING = 64;

	// Guarded by this.
	private final Set<Integer> reserved = new HashSet<>();

	// Guarded by this.
	private final Deque<Integer> resting = new ArrayDeque<>();

	PortAllocator(LocalPlatformProperties properties) {
		if (properties.taskPortMax() < properties.taskPortMin()) {
			throw new IllegalArgumentException("local-platform.task-port-max (" + properties.taskPortMax()
					+ ") must not be below local-platform.task-port-min (" + properties.taskPortMin() + ")");
		}
	}

	/**
	 * Reserves one port per request.
	 * @param requested per port the host port the app requires, or 0 for any free one
	 * @param dynamic the range dynamic ports come from
	 * @return the reserved ports, in the order requested
	 * @throws PortsUnavailableException when a required port is asked for twice, held by
	 * a task or bound by a program, or when the dynamic range is exhausted; nothing is
	 * reserved then
	 */
	public synchronized List<Integer> reserve(List<Integer> requested, PortRange dynamic)
			throws PortsUnavailableException {
		List<Integer> ports = new ArrayList<>();
		try {
			for (int wanted : requested) {
				int port = (wanted != 0) ? required(wanted, ports) : free(dynamic);
				this.reserved.add(port);
				ports.add(port);
			}
			return ports;
		}
		catch (PortsUnavailableException ex) {
			this.reserved.removeAll(ports);
			throw ex;
		}
	}

	/**
	 * Returns the ports of a task that has ended.
	 * @param ports the task's ports
	 */
	public synchronized void release(Collection<Integer> ports) {
		for (int port : ports) {
			if (this.reserved.remove(port)) {
				this.resting.addLast(port);
			}
		}
		while (this.resting.size() > RESTING) {
			this.resting.removeFirst();
		}
	}

	private int required(int port, List<Integer> alreadyTaken) throws PortsUnavailableException {
		if (alreadyTaken.contains(port)) {
			throw new PortsUnavailableException("host port " + port + " is asked for twice");
		}
		if (this.reserved.contains(port)) {
			throw new PortsUnavailableException("host port " + port + " is held by another task");
		}
		if (!bindable(port)) {
			throw new PortsUnavailableException("host port " + port + " is in use by another program");
		}
		return port;
	}

	private int free(PortRange range) throws PortsUnavailableException {
		int size = range.size();
		// A random start spreads the tasks of several local platforms on one machine.
		int offset = ThreadLocalRandom.current().nextInt(size);
		for (int i = 0; i < size; i++) {
			int port = range.begin() + (offset + i) % size;
			if (!this.reserved.contains(port) && !this.resting.contains(port) && bindable(port)) {
				return port;
			}
		}
		// A small range: a resting port (the longest resting first) beats none.
		for (int port : this.resting) {
			if (range.contains(port) && !this.reserved.contains(port) && bindable(port)) {
				this.resting.remove(port);
				return port;
			}
		}
		throw new PortsUnavailableException(
				"no free host port left in " + range + " (local-platform.task-port-min/max)");
	}

	// The wildcard address: refused while any program listens on the port on any
	// address (127.0.0.1, an agent's 127.0.1.N or all of them).
	private static boolean bindable(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1)) {
			return socket.isBound();
		}
		catch (IOException ex) {
			return false;
		}
	}

}
