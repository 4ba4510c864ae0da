package io.github.redisonmesos.counter.counting;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * {@code INCR counter} that counts once per request however often it is sent, and never
 * after the request's deadline: a Lua script increments and, in the same atomic step,
 * keeps the new value under the request's id for a short while; sent again with the same
 * id, it returns that value instead of counting again. Past the deadline (Redis's own
 * {@code TIME}) it counts nothing and says so. So a request whose reply was lost with the
 * connection (was the command applied or not?) can simply be retried, on the same Redis
 * or on the one that took over its volume, and either learns its value or learns that it
 * was not counted and never will be.
 */
final class IdempotentIncrement {

	// TIME before any write: Redis 7 replicates a script's effects, not the script, so
	// a non-deterministic command is allowed. A retry that finds its marker writes too
	// (the marker's lifetime, again): so the WAIT after it covers the increment,
	// whichever
	// connection made it
	static final String SCRIPT = """
			local done = redis.call('GET', KEYS[2])
			if done then
			  redis.call('PEXPIRE', KEYS[2], ARGV[1])
			  return tonumber(done)
			end
			local now = redis.call('TIME')
			if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[2]) then
			  return false
			end
			local value = redis.call('INCR', KEYS[1])
			redis.call('SET', KEYS[2], value, 'PX', ARGV[1])
			return value
			""";

	static final String MARKER_PREFIX = CounterService.KEY + ":req:";

	// requests starting within the same 10 ms share one argument list: a later deadline
	// by up to 10 ms changes nothing (the app learns the outcome from Redis)
	private static final long DEADLINE_GRANULARITY_MILLIS = 10;

	private final String sha = sha1Hex(SCRIPT);

	private final String ttl;

	private final CommandObjects commands = new CommandObjects();

	// per process, so that several app instances never share an id
	private final String instance;

	private final AtomicLong sequence = new AtomicLong();

	private volatile Arguments lastArguments = new Arguments(-1, List.of());

	// WAIT 1 <this> after an increment; 0: no WAIT (a single Redis)
	private final long replicaAckMillis;

	/**
	 * @param markerTtl how long a request's id is remembered: longer than the longest
	 * time between a request's first and last attempt
	 * @param replicaAck how long a replica has to acknowledge an increment
	 * ({@code WAIT 1 <ms>}, for a primary followed through Sentinel),
	 * {@link Duration#ZERO} for no {@code WAIT}
	 */
	IdempotentIncrement(Duration markerTtl, Duration replicaAck) {
		this.ttl = Long.toString(markerTtl.toMillis());
		this.replicaAckMillis = replicaAck.toMillis();
		byte[] random = new byte[6];
		new SecureRandom().nextBytes(random);
		this.instance = HexFormat.of().formatHex(random);
	}

	/**
	 * A new request id, unique across the app's instances; cheaper than a random UUID (no
	 * {@link SecureRandom} per request).
	 * @return the id
	 */
	String newRequestId() {
		return this.instance + ':' + Long.toString(this.sequence.incrementAndGet(), 36);
	}

	/**
	 * The script's arguments for a request: the marker's lifetime and the deadline.
	 * @param deadlineEpochMillis after this (Redis's clock), the request is not counted
	 * @return the arguments, the same on every attempt of the request
	 */
	List<String> arguments(long deadlineEpochMillis) {
		long rounded = (deadlineEpochMillis + DEADLINE_GRANULARITY_MILLIS - 1) / DEADLINE_GRANULARITY_MILLIS
				* DEADLINE_GRANULARITY_MILLIS;
		Arguments last = this.lastArguments;
		if (last.deadline() != rounded) {
			last = new Arguments(rounded, List.of(this.ttl, Long.toString(rounded)));
			this.lastArguments = last;
		}
		return last.list();
	}

	/**
	 * Counts the request once, unless Redis's clock says its deadline passed and it was
	 * not counted yet.
	 * @param redis the pool to send the script through
	 * @param requestId the request's id, the same on every attempt
	 * @param arguments {@link #arguments} for the request
	 * @return the counter's value after this request's increment, {@code null} when the
	 * request was not counted and no attempt of it ever will be (past its deadline)
	 * @throws NotSentException when no connection could be had: the script was not sent
	 * @throws NotAcknowledgedException when the primary counted it but no replica
	 * acknowledged that in time ({@code WAIT 1} answered 0): a failover now could lose it
	 * @throws JedisException when the script was sent and failed; a connection error then
	 * leaves open whether Redis ran it
	 */
	Long increment(JedisPooled redis, String requestId, List<String> arguments) {
		List<String> keys = List.of(CounterService.KEY, MARKER_PREFIX + requestId);
		Connection connection;
		try {
			connection = redis.getPool().getResource();
		}
		catch (RuntimeException ex) {
			throw new NotSentException(ex);
		}
		try (connection) {
			Object value;
			try {
				value = connection.executeCommand(this.commands.evalsha(this.sha, keys, arguments));
			}
			catch (JedisNoScriptException ex) {
				// a new or restarted Redis has an empty script cache: EVAL sends the
				// script and caches it for the next EVALSHA
				value = connection.executeCommand(this.commands.eval(SCRIPT, keys, arguments));
			}
			if (value != null && this.replicaAckMillis > 0
					&& connection.executeCommand(this.commands.waitReplicas(1, this.replicaAckMillis)) < 1) {
				throw new NotAcknowledgedException((Long) value, this.replicaAckMillis);
			}
			return (Long) value;
		}
	}

	private static String sha1Hex(String script) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(SafeEncoder.encode(script)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1, which every JDK has, is missing", ex);
		}
	}

	private record Arguments(long deadline, List<String> list) {
	}

	/**
	 * No connection to send the script on (refused, Redis not listening, the pool closed
	 * because Redis moved, credentials refused at connect): the request was not counted
	 * by this attempt.
	 */
	static final class NotSentException extends RuntimeException {

		NotSentException(RuntimeException cause) {
			super(cause.getMessage(), cause, false, false);
		}

	}

	/**
	 * The primary ran the increment, but {@code WAIT 1} saw no replica acknowledge it in
	 * time: it counted on this primary and would be lost if the primary failed now. A
	 * retry with the same id learns more: the stored value once a replica has it, or, on
	 * a new primary that never got it, a fresh increment or "past the deadline".
	 */
	static final class NotAcknowledgedException extends RuntimeException {

		NotAcknowledgedException(long value, long waitedMillis) {
			super("the primary counted it (" + value + ") but no replica acknowledged that within " + waitedMillis
					+ " ms (WAIT 1)", null, false, false);
		}

	}

}
