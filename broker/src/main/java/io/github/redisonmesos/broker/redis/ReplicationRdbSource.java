package io.github.redisonmesos.broker.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.redisonmesos.broker.backup.RdbSource;
import io.github.redisonmesos.broker.deployment.RedisAdmin;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisUnavailableException;
import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.broker.tls.InstanceCertificates;
import io.github.redisonmesos.broker.tls.InstanceTlsProperties;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * RDB snapshots over the replication protocol, as {@code redis-cli --rdb} takes them:
 * {@code REPLCONF capa eof}, {@code REPLCONF rdb-only 1}, {@code SYNC}, so the node
 * streams a diskless snapshot to the socket (nothing on its volume) and no replication
 * stream after it. The stream runs as {@value #USER}, a user made for each backup with a
 * new random password that is never stored (its SHA-256 only reaches Redis, in memory: no
 * {@code ACL SAVE}) and allowed only {@code REPLCONF} and {@code SYNC}; it is deleted
 * when the stream ends. Verified on redis-server 7.0: without {@code +replconf} the node
 * falls back to a BGSAVE to disk, and {@code +psync} alone is refused to
 * {@code redis-cli --rdb}.
 */
@Component
class ReplicationRdbSource implements RdbSource {

	/** The short-lived user a backup streams as. */
	static final String USER = "osb-backup";

	static final List<String> RULES = List.of("resetkeys", "resetchannels", "-@all", "+replconf", "+sync");

	private static final int EOF_MARK_LENGTH = 40;

	private static final int BUFFER = 64 * 1024;

	// the node sends a newline each second while it prepares the snapshot
	private static final int STREAM_READ_TIMEOUT_MILLIS = 60_000;

	// how long a replica linked to the primary may take to apply what the primary had
	private static final Duration CATCH_UP = Duration.ofSeconds(10);

	private static final long CATCH_UP_POLL_MILLIS = 100;

	private final int timeoutMillis;

	private final Passwords passwords;

	private final InstanceCertificates certificates;

	ReplicationRdbSource(RedisProperties properties, Passwords passwords) {
		this(properties, passwords, new InstanceCertificates(InstanceTlsProperties.OFF));
	}

	@Autowired
	ReplicationRdbSource(RedisProperties properties, Passwords passwords, InstanceCertificates certificates) {
		this.timeoutMillis = (int) properties.timeout().toMillis();
		this.passwords = passwords;
		this.certificates = certificates;
	}

	@Override
	public String stream(RedisAdmin node, OutputStream out) {
		return stream(node, out, null);
	}

	@Override
	public String stream(Replica replica, OutputStream out) {
		return stream(replica.node(), out, replica);
	}

	// with a replica, the snapshot's own replication position (its first aux fields) must
	// be the primary's history at or past the offset the replica was chosen at
	private String stream(RedisAdmin node, OutputStream out, Replica expected) {
		String password = this.passwords.generate();
		String version;
		try (Jedis admin = connect(node)) {
			version = admin.info("server")
				.lines()
				.filter((line) -> line.startsWith("redis_version:"))
				.map((line) -> line.substring("redis_version:".length()).trim())
				.findFirst()
				.orElse("unknown");
			List<String> rules = new ArrayList<>(List.of("reset", "on", "#" + Passwords.redisHash(password)));
			rules.addAll(RULES);
			admin.aclSetUser(USER, rules.toArray(String[]::new));
		}
		catch (JedisException ex) {
			throw new RedisUnavailableException(
					"Redis at " + node.endpoint() + " did not accept the backup user: " + ex.getMessage(), false, ex);
		}
		try {
			if (expected == null) {
				sync(node, password, out);
				return version;
			}
			RdbHead head = new RdbHead(out);
			sync(node, password, head);
			checkPosition(node, head, expected);
			return version;
		}
		finally {
			deleteUser(node);
		}
	}

	// over TLS when the node has it, trusting the operator's CA alone
	private void sync(RedisAdmin node, String password, OutputStream out) {
		RedisEndpoint endpoint = node.endpoint();
		try (Socket plain = new Socket()) {
			plain.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), this.timeoutMillis);
			Socket socket = node.tls().on()
					? this.certificates.trustingTheCa().createSocket(plain, endpoint.host(), endpoint.port(), true)
					: plain;
			socket.setSoTimeout(this.timeoutMillis);
			InputStream in = new BufferedInputStream(socket.getInputStream(), BUFFER);
			OutputStream commands = socket.getOutputStream();
			command(commands, in, "AUTH", USER, password);
			command(commands, in, "REPLCONF", "capa", "eof");
			command(commands, in, "REPLCONF", "rdb-only", "1");
			commands.write("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
			commands.flush();
			socket.setSoTimeout(STREAM_READ_TIMEOUT_MILLIS);
			String header = payloadHeader(in);
			if (header.startsWith("$EOF:")) {
				copyUntilMark(in, header.substring(5).getBytes(StandardCharsets.US_ASCII), out);
			}
			else {
				copyExactly(in, Long.parseLong(header.substring(1)), out);
			}
		}
		catch (IOException | NumberFormatException ex) {
			throw new RedisUnavailableException(
					"The RDB stream from Redis at " + endpoint + " was cut: " + ex.getMessage(), false, ex);
		}
	}

	private static void checkPosition(RedisAdmin node, RdbHead head, Replica expected) {
		Map<String, String> aux;
		try {
			aux = head.auxFields();
		}
		catch (IOException ex) {
			throw new RedisUnavailableException(
					"The snapshot from replica " + node.endpoint() + " could not be checked: " + ex.getMessage(), false,
					ex);
		}
		String id = aux.get("repl-id");
		long offset;
		try {
			offset = Long.parseLong(aux.getOrDefault("repl-offset", "-1"));
		}
		catch (NumberFormatException ex) {
			offset = -1;
		}
		if (!expected.replicationId().equals(id) || offset < expected.offset()) {
			throw new RedisUnavailableException(
					"The snapshot from replica " + node.endpoint() + " is not complete: it holds replication " + id
							+ " up to offset " + offset + " but the primary was at " + expected.replicationId()
							+ " offset " + expected.offset() + " when the backup began",
					false, null);
		}
	}

	private static void command(OutputStream commands, InputStream in, String... words) throws IOException {
		StringBuilder resp = new StringBuilder("*").append(words.length).append("\r\n");
		for (String word : words) {
			resp.append('$')
				.append(word.getBytes(StandardCharsets.UTF_8).length)
				.append("\r\n")
				.append(word)
				.append("\r\n");
		}
		commands.write(resp.toString().getBytes(StandardCharsets.UTF_8));
		commands.flush();
		String reply = line(in);
		if (!reply.startsWith("+")) {
			// the first word only: the reply to AUTH names no password, but be sure
			throw new IOException(words[0] + " " + ((words.length > 1 && !"AUTH".equals(words[0])) ? words[1] : "")
					+ " answered " + reply);
		}
	}

	private static String payloadHeader(InputStream in) throws IOException {
		while (true) {
			String line = line(in);
			if (line.isEmpty()) {
				continue; // keep-alive newline
			}
			if (line.startsWith("-")) {
				throw new IOException("SYNC answered " + line);
			}
			if (!line.startsWith("$")) {
				throw new IOException("SYNC answered " + line);
			}
			return line;
		}
	}

	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != '\n') {
			if (b == -1) {
				throw new IOException("the connection closed");
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.UTF_8);
	}

	private static void copyExactly(InputStream in, long length, OutputStream out) throws IOException {
		byte[] buffer = new byte[BUFFER];
		long left = length;
		while (left > 0) {
			int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
			if (read == -1) {
				throw new IOException("the connection closed with " + left + " of " + length + " bytes to come");
			}
			out.write(buffer, 0, read);
			left -= read;
		}
	}

	// The payload ends with the 40 bytes announced in the header: hold the last 40 bytes
	// back until more come or they are the mark
	private static void copyUntilMark(InputStream in, byte[] mark, OutputStream out) throws IOException {
		if (mark.length != EOF_MARK_LENGTH) {
			throw new IOException("an EOF mark of " + mark.length + " bytes");
		}
		byte[] buffer = new byte[BUFFER + EOF_MARK_LENGTH];
		int held = 0;
		while (true) {
			int read = in.read(buffer, held, BUFFER);
			if (read == -1) {
				throw new IOException("the connection closed before the end of the RDB");
			}
			held += read;
			if (held >= EOF_MARK_LENGTH
					&& Arrays.equals(buffer, held - EOF_MARK_LENGTH, held, mark, 0, EOF_MARK_LENGTH)) {
				out.write(buffer, 0, held - EOF_MARK_LENGTH);
				return;
			}
			int release = held - EOF_MARK_LENGTH;
			if (release > 0) {
				out.write(buffer, 0, release);
				System.arraycopy(buffer, release, buffer, 0, EOF_MARK_LENGTH);
				held = EOF_MARK_LENGTH;
			}
		}
	}

	private void deleteUser(RedisAdmin node) {
		try (Jedis admin = connect(node)) {
			admin.aclDelUser(USER);
		}
		catch (JedisException ex) {
			// its password is lost with this call and it is replaced at the next backup
		}
	}

	@Override
	public Optional<Replica> replicaInSync(List<RedisAdmin> nodes) {
		Optional<Position> primary = primaryPosition(nodes);
		if (primary.isEmpty()) {
			return Optional.empty();
		}
		long deadline = System.nanoTime() + CATCH_UP.toNanos();
		while (true) {
			boolean behind = false;
			for (RedisAdmin node : nodes) {
				Map<String, String> info = info(node);
				boolean following = "slave".equals(info.get("role")) && "up".equals(info.get("master_link_status"))
						&& "0".equals(info.get("master_sync_in_progress")) && "0".equals(info.get("loading"))
						&& primary.get().replicationId().equals(info.get("master_replid"));
				if (!following) {
					continue; // away, loading, resyncing or of another history
				}
				if (offset(info) >= primary.get().offset()) {
					return Optional.of(new Replica(node, primary.get().replicationId(), primary.get().offset()));
				}
				behind = true;
			}
			if (!behind || System.nanoTime() - deadline > 0) {
				return Optional.empty();
			}
			try {
				Thread.sleep(CATCH_UP_POLL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return Optional.empty();
			}
		}
	}

	// the one node that is a primary: its replication ID and offset
	private Optional<Position> primaryPosition(List<RedisAdmin> nodes) {
		List<Position> primaries = nodes.stream()
			.map(this::info)
			.filter((info) -> "master".equals(info.get("role")) && info.containsKey("master_replid"))
			.map((info) -> new Position(info.get("master_replid"), offset(info)))
			.toList();
		return (primaries.size() == 1) ? Optional.of(primaries.get(0)) : Optional.empty();
	}

	private static long offset(Map<String, String> info) {
		try {
			return Long.parseLong(info.getOrDefault("master_repl_offset", "-1"));
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	// INFO replication and persistence as fields; none when the node is away
	private Map<String, String> info(RedisAdmin node) {
		Map<String, String> fields = new HashMap<>();
		try (Jedis jedis = connect(node)) {
			for (String section : List.of("replication", "persistence")) {
				jedis.info(section).lines().forEach((line) -> {
					int colon = line.indexOf(':');
					if (colon > 0) {
						fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
					}
				});
			}
		}
		catch (JedisException ex) {
			// a node away is no candidate
			fields.clear();
		}
		return fields;
	}

	private record Position(String replicationId, long offset) {

	}

	private Jedis connect(RedisAdmin admin) {
		return new Jedis(new HostAndPort(admin.endpoint().host(), admin.endpoint().port()),
				DefaultJedisClientConfig.builder()
					.user(admin.user())
					.password(admin.password())
					.connectionTimeoutMillis(this.timeoutMillis)
					.socketTimeoutMillis(this.timeoutMillis)
					.clientName("osb-broker")
					.ssl(admin.tls().on())
					.sslSocketFactory(admin.tls().on() ? this.certificates.trustingTheCa() : null)
					.build());
	}

}
