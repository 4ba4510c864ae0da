package io.github.redisonmesos.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Free loopback ports for processes that cannot pick one themselves, safe for test JVMs
 * that run side by side (surefire's and failsafe's forks, two modules' builds at once).
 * <p>
 * Each JVM claims a block of {@value #BLOCK} ports of its own and hands them out in
 * order, never the same port twice: a port a test lets go of (a killed redis-server whose
 * node starts again on it) is not given to another test of the same JVM, and no other JVM
 * takes a port of the block. The claim is an exclusive lock on a file in
 * {@code java.io.tmpdir}, which the system releases when the JVM ends, however it ends.
 * The blocks lie outside the kernel's ephemeral range
 * ({@code /proc/sys/net/ipv4/ip_local_port_range}, as {@code scripts/lib.sh}'s
 * {@code free_port} does): an outgoing connection of any process may hold an ephemeral
 * port by the time a test's process binds it. Above that range when it leaves room
 * (61000-65535 with Linux's default 32768-60999), else
 * {@value #FALLBACK_LOW}-{@value #FALLBACK_HIGH}, below the local platform's agent ports
 * (31000-32000) and above the scripts' ports.
 */
public final class FreePorts {

	/** Ports per JVM claim. */
	static final int BLOCK = 250;

	static final int FALLBACK_LOW = 20000;

	static final int FALLBACK_HIGH = 27999;

	private static final Path CLAIMS = Path.of(System.getProperty("java.io.tmpdir"), "redis-on-mesos-test-ports");

	/** The claims this JVM holds: their locks last as long as the JVM. */
	private static final List<FileChannel> held = new ArrayList<>();

	private static int next;

	private static int end;

	private FreePorts() {
	}

	/**
	 * A port free on 127.0.0.1 now, from this JVM's block, never handed out before in
	 * this JVM.
	 * @return the port
	 */
	public static int next() {
		return take(1);
	}

	/**
	 * The first of two neighbouring ports that are free on 127.0.0.1 now, from this JVM's
	 * block, for a range of exactly two ports.
	 * @return the lower port
	 */
	public static int firstOfTwoNeighbours() {
		return take(2);
	}

	/**
	 * The first of {@code count} consecutive ports, each free on 127.0.0.1 now, from this
	 * JVM's blocks: a range of its own for a local platform's tasks or a broker's
	 * {@code BROKER_MARATHON_REDIS_PORTS}, which no other test of any JVM is given.
	 * @param count how many, at most {@value #BLOCK}
	 * @return the lowest port
	 */
	public static int range(int count) {
		if (count < 1 || count > BLOCK) {
			throw new IllegalArgumentException("A range of 1 to " + BLOCK + " ports, not " + count);
		}
		return take(count);
	}

	private static synchronized int take(int count) {
		for (int tries = 0; tries < 4 * BLOCK; tries++) {
			if (next + count > end) {
				// what is left of the block is too short: the next block
				claimBlock();
				if (next + count > end) {
					// its last JVM got too far into it for this range (which would run
					// into the next block, another JVM's): from its start
					next = end - BLOCK;
				}
			}
			int first = next;
			next += count;
			remember();
			if (free(first, count)) {
				return first;
			}
		}
		throw new IllegalStateException("No " + count + " free neighbouring ports in this JVM's blocks");
	}

	private static boolean free(int first, int count) {
		List<ServerSocket> sockets = new ArrayList<>();
		try {
			for (int port = first; port < first + count; port++) {
				sockets.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
			}
			return true;
		}
		catch (IOException ex) {
			// taken by a process outside the tests
			return false;
		}
		finally {
			for (ServerSocket socket : sockets) {
				try {
					socket.close();
				}
				catch (IOException ex) {
					// closing a listening socket that accepted nothing
				}
			}
		}
	}

	private static void claimBlock() {
		try {
			Files.createDirectories(CLAIMS);
			for (int[] range : ranges()) {
				for (int low = range[0]; low + BLOCK - 1 <= range[1]; low += BLOCK) {
					if (tryClaim(low)) {
						// where the block's last JVM stopped: a port it handed out may
						// still be
						// remembered (a Sentinel left running by a killed JVM knows its
						// old
						// neighbours' addresses), so the block is used round, not from
						// its start
						int used = recalled();
						next = (used + 1 < BLOCK) ? low + used : low;
						end = low + BLOCK;
						return;
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		throw new IllegalStateException(
				"Every block of " + BLOCK + " ports is claimed by another JVM or this one (locks in " + CLAIMS + ")");
	}

	private static boolean tryClaim(int low) throws IOException {
		FileChannel channel = FileChannel.open(CLAIMS.resolve("ports-" + low + ".lock"), StandardOpenOption.CREATE,
				StandardOpenOption.READ, StandardOpenOption.WRITE);
		FileLock lock = null;
		try {
			lock = channel.tryLock();
		}
		catch (OverlappingFileLockException ex) {
			// held by this JVM already (an earlier block)
		}
		if (lock == null) {
			channel.close();
			return false;
		}
		held.add(channel);
		return true;
	}

	/** How far into the block the JVM that held it last got (kept in its lock file). */
	private static int recalled() {
		try {
			FileChannel channel = held.get(held.size() - 1);
			ByteBuffer buffer = ByteBuffer.allocate(16);
			channel.read(buffer, 0);
			String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
			return text.isEmpty() ? 0 : Integer.parseInt(text);
		}
		catch (IOException | NumberFormatException ex) {
			return 0;
		}
	}

	private static void remember() {
		try {
			FileChannel channel = held.get(held.size() - 1);
			channel.truncate(0);
			channel.write(ByteBuffer.wrap(String.valueOf(next - (end - BLOCK)).getBytes(StandardCharsets.US_ASCII)), 0);
		}
		catch (IOException ex) {
			// only a hint for the next JVM
		}
	}

	/**
	 * The ports the blocks come from, outside the kernel's ephemeral range: above it when
	 * it leaves room, then {@value #FALLBACK_LOW}-{@value #FALLBACK_HIGH}.
	 */
	static List<int[]> ranges() {
		int ephemeralHigh = 60999;
		try {
			String[] bounds = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
				.get(0)
				.trim()
				.split("\\s+");
			ephemeralHigh = Integer.parseInt(bounds[1]);
		}
		catch (IOException | RuntimeException ex) {
			// not Linux: Linux's default
		}
		if (65535 - ephemeralHigh >= 4 * BLOCK) {
			return List.of(new int[] { ephemeralHigh + 1, 65535 }, new int[] { FALLBACK_LOW, FALLBACK_HIGH });
		}
		return List.of(new int[] { FALLBACK_LOW, FALLBACK_HIGH });
	}

}
