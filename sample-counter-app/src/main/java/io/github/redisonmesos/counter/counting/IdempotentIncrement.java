package io.github.redisonmesos.counter.counting;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * {@code INCR counter} that counts once per request however often it is sent: a Lua
 * script increments and, in the same atomic step, keeps the new value under the request's
 * id for a short while; sent again with the same id, it returns that value instead of
 * counting again. So a request whose reply was lost with the connection (was the command
 * applied or not?) can simply be retried, on the same Redis or on the one that took over
 * its volume.
 */
final class IdempotentIncrement {

	static final String SCRIPT = """
			local done = redis.call('GET', KEYS[2])
			if done then return tonumber(done) end
			local value = redis.call('INCR', KEYS[1])
			redis.call('SET', KEYS[2], value, 'PX', ARGV[1])
			return value
			""";

	static final String MARKER_PREFIX = CounterService.KEY + ":req:";

	private final String sha = sha1Hex(SCRIPT);

	private final List<String> ttlArgument;

	// per process, so that several app instances never share an id
	private final String instance;

	private final AtomicLong sequence = new AtomicLong();

	/**
	 * @param markerTtl how long a request's id is remembered: longer than the longest
	 * time between a request's first and last attempt
	 */
	IdempotentIncrement(Duration markerTtl) {
		this.ttlArgument = List.of(Long.toString(markerTtl.toMillis()));
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
	 * Counts the request once.
	 * @param redis the pool to send the script through
	 * @param requestId the request's id, the same on every attempt
	 * @return the counter's value after this request's increment
	 */
	long increment(JedisPooled redis, String requestId) {
		List<String> keys = List.of(CounterService.KEY, MARKER_PREFIX + requestId);
		Object value;
		try {
			value = redis.evalsha(this.sha, keys, this.ttlArgument);
		}
		catch (JedisNoScriptException ex) {
			// a new or restarted Redis has an empty script cache: EVAL sends the script
			// and caches it for the next EVALSHA
			value = redis.eval(SCRIPT, keys, this.ttlArgument);
		}
		return (Long) value;
	}

	private static String sha1Hex(String script) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(SafeEncoder.encode(script)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1, which every JDK has, is missing", ex);
		}
	}

}
