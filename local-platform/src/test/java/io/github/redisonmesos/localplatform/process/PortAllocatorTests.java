package io.github.redisonmesos.localplatform.process;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.redisonmesos.localplatform.LocalPlatformProperties;
import io.github.redisonmesos.testsupport.FreePorts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PortAllocatorTests {

	@Test
	void concurrentReservationsNeverHandOutOnePortTwice() throws Exception {
		Ranged ports = allocator(31000, 32000);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<List<Integer>>> reservations = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				reservations.add(pool.submit(() -> ports.reserve(List.of(0, 0))));
			}
			Set<Integer> all = new HashSet<>();
			for (Future<List<Integer>> reservation : reservations) {
				all.addAll(reservation.get());
			}
			assertThat(all).hasSize(200).allMatch((port) -> port >= 31000 && port <= 32000);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void releasedPortRestsSoTheNextTaskMovesToAnotherOne() throws Exception {
		int first = FreePorts.firstOfTwoNeighbours();
		Ranged ports = allocator(first, first + 1);
		int taken = ports.reserve(List.of(0)).get(0);
		ports.release(List.of(taken));
		int next = ports.reserve(List.of(0)).get(0);
		assertThat(next).isNotEqualTo(taken);
		ports.release(List.of(next));
		// Only resting ports left: the one resting longest comes back.
		assertThat(ports.reserve(List.of(0))).containsExactly(taken);
	}

	@Test
	void requiredPortThatIsTakenIsRefusedAndReservesNothing() throws Exception {
		int first = FreePorts.firstOfTwoNeighbours();
		Ranged ports = allocator(first, first + 1);
		int taken = ports.reserve(List.of(first)).get(0);
		assertThatExceptionOfType(PortsUnavailableException.class)
			.isThrownBy(() -> ports.reserve(List.of(first + 1, taken)))
			.withMessage("host port " + taken + " is held by another task");
		assertThat(ports.reserve(List.of(first + 1))).containsExactly(first + 1);
	}

	@Test
	void releasedRequiredPortIsOfferedAgainAtOnce() throws Exception {
		int first = FreePorts.firstOfTwoNeighbours();
		Ranged ports = allocator(first, first + 1);
		ports.release(ports.reserve(List.of(first)));
		assertThat(ports.reserve(List.of(first))).containsExactly(first);
	}

	@Test
	void requiredPortBoundByAnotherProgramIsRefusedUntilItIsClosed() throws Exception {
		int first = FreePorts.firstOfTwoNeighbours();
		Ranged ports = allocator(first, first + 1);
		try (ServerSocket other = new ServerSocket(first, 1, InetAddress.getLoopbackAddress())) {
			assertThatExceptionOfType(PortsUnavailableException.class).isThrownBy(() -> ports.reserve(List.of(first)))
				.withMessage("host port " + first + " is in use by another program");
		}
		assertThat(ports.reserve(List.of(first))).containsExactly(first);
	}

	@Test
	void requiredPortBoundOnAnotherAgentsAddressIsRefusedOnEveryAgent() throws Exception {
		int first = FreePorts.firstOfTwoNeighbours();
		Ranged ports = allocator(first, first + 1);
		// The agents share the machine's port space: a port bound on 127.0.1.2 is not
		// free for a task of 127.0.1.1 either, as the tasks bind all interfaces.
		try (ServerSocket other = new ServerSocket(first, 1, InetAddress.getByName("127.0.1.2"))) {
			assertThatExceptionOfType(PortsUnavailableException.class).isThrownBy(() -> ports.reserve(List.of(first)))
				.withMessage("host port " + first + " is in use by another program");
		}
		assertThat(ports.reserve(List.of(first))).containsExactly(first);
	}

	@Test
	void requiredPortAskedForTwiceIsNeverOffered() throws Exception {
		int first = FreePorts.firstOfTwoNeighbours();
		Ranged ports = allocator(first, first);
		assertThatExceptionOfType(PortsUnavailableException.class)
			.isThrownBy(() -> ports.reserve(List.of(first, first)))
			.withMessage("host port " + first + " is asked for twice");
		assertThat(ports.reserve(List.of(first))).containsExactly(first);
	}

	@Test
	void portBoundByAnotherProgramIsSkipped() throws Exception {
		int first = FreePorts.firstOfTwoNeighbours();
		Ranged ports = allocator(first, first + 1);
		try (ServerSocket other = new ServerSocket(first, 1, InetAddress.getLoopbackAddress())) {
			assertThat(other.getLocalPort()).isEqualTo(first);
			assertThat(ports.reserve(List.of(0))).containsExactly(first + 1);
		}
	}

	private static Ranged allocator(int min, int max) {
		return new Ranged(
				new PortAllocator(new LocalPlatformProperties(8080, 8500, Path.of("."), "dc1", Duration.ofMillis(250),
						min, max, 7979, false, 3, List.of(), "", "marathon", List.of("*"), 100)),
				new PortRange(min, max));
	}

	/**
	 * The allocator with the range its dynamic ports come from.
	 */
	private record Ranged(PortAllocator allocator, PortRange range) {

		List<Integer> reserve(List<Integer> requested) throws PortsUnavailableException {
			return this.allocator.reserve(requested, this.range);
		}

		void release(List<Integer> ports) {
			this.allocator.release(ports);
		}

	}

}
