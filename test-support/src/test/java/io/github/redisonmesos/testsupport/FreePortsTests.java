package io.github.redisonmesos.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortsTests {

	@Test
	void portsAreNeverHandedOutTwiceAcrossBlocksAndLieOutsideTheEphemeralRange() throws IOException {
		String[] ephemeral = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
			.get(0)
			.trim()
			.split("\\s+");
		int low = Integer.parseInt(ephemeral[0]);
		int high = Integer.parseInt(ephemeral[1]);
		Set<Integer> seen = new HashSet<>();
		for (int i = 0; i < FreePorts.BLOCK + 10; i++) {
			int port = FreePorts.next();
			assertThat(seen.add(port)).as("port %d handed out once", port).isTrue();
			assertThat(port).isBetween(1024, 65535)
				.satisfiesAnyOf((p) -> assertThat(p).isLessThan(low), (p) -> assertThat(p).isGreaterThan(high));
		}
	}

	@Test
	void aPortHeldByAnotherProcessIsSkipped() throws IOException {
		int port = FreePorts.next();
		try (ServerSocket held = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
			assertThat(FreePorts.next()).isNotEqualTo(port + 1);
		}
	}

	@Test
	void aRangeIsConsecutiveFreePortsThatNoLaterCallIsGiven() throws IOException {
		int first = FreePorts.range(100);
		for (int port = first; port < first + 100; port++) {
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				assertThat(socket.getLocalPort()).isEqualTo(port);
			}
		}
		for (int i = 0; i < 2 * FreePorts.BLOCK; i++) {
			int port = FreePorts.next();
			assertThat(port < first || port > first + 99).as("port %d outside %d-%d", port, first, first + 99).isTrue();
		}
	}

	@Test
	void twoNeighboursAreBothFree() throws IOException {
		int first = FreePorts.firstOfTwoNeighbours();
		try (ServerSocket a = new ServerSocket(first, 1, InetAddress.getLoopbackAddress());
				ServerSocket b = new ServerSocket(first + 1, 1, InetAddress.getLoopbackAddress())) {
			assertThat(b.getLocalPort()).isEqualTo(a.getLocalPort() + 1);
		}
	}

}
