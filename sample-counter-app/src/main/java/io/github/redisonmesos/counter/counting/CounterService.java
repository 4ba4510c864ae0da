package io.github.redisonmesos.counter.counting;

import io.github.redisonmesos.counter.binding.ConsulBinding;
import io.github.redisonmesos.counter.discovery.EndpointWatch;
import io.github.redisonmesos.counter.discovery.RedisEndpoint;
import io.github.redisonmesos.counter.discovery.Resolution;
import io.github.redisonmesos.counter.discovery.Resolution.Resolved;
import io.github.redisonmesos.counter.discovery.Resolution.Unresolved;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

import org.springframework.stereotype.Service;

/**
 * Counts one visit: {@code INCR counter} on the Redis the watch last saw, re-resolving
 * and retrying once when that Redis cannot be reached.
 */
@Service
class CounterService {

	static final String KEY = "counter";

	private static final Logger logger = LoggerFactory.getLogger(CounterService.class);

	private final EndpointWatch watch;

	private final RedisPools pools;

	private final ConsulBinding binding;

	CounterService(EndpointWatch watch, RedisPools pools, ConsulBinding binding) {
		this.watch = watch;
		this.pools = pools;
		this.binding = binding;
	}

	CounterReading increment() {
		Resolved first = resolved(this.watch.current());
		try {
			return increment(first);
		}
		catch (JedisConnectionException ex) {
			this.pools.discardIdle(first.endpoint());
			logger.warn("event=redis_connection_failed endpoint={} action=reresolve_and_retry error=\"{}\"",
					first.endpoint(), ex.getMessage());
			Resolved second = resolved(this.watch.reresolve());
			try {
				return increment(second);
			}
			catch (JedisException retryEx) {
				throw redisUnreachable("Tried INCR " + KEY + " on Redis at " + first.endpoint()
						+ ", asked Consul again for " + this.watch.describe() + " (answer: " + second.endpoint()
						+ ") and retried once: " + retryEx.getMessage(), retryEx);
			}
		}
		catch (JedisException ex) {
			throw redisUnreachable(
					"Tried INCR " + KEY + " on Redis at " + first.endpoint() + ": Redis refused: " + ex.getMessage(),
					ex);
		}
	}

	private CounterReading increment(Resolved resolved) {
		RedisEndpoint endpoint = resolved.endpoint();
		long value = this.pools.poolFor(endpoint).incr(KEY);
		return new CounterReading(this.binding.consulHost(), this.binding.consulPort(), this.binding.datacenter(),
				endpoint.host(), endpoint.port(), value, resolved.resolvedAt());
	}

	private static Resolved resolved(Resolution resolution) {
		if (resolution instanceof Resolved resolved) {
			return resolved;
		}
		Unresolved unresolved = (Unresolved) resolution;
		FailureKind kind = switch (unresolved.reason()) {
			case CONSUL_UNREACHABLE -> FailureKind.CONSUL_UNREACHABLE;
			case NO_PASSING_INSTANCE -> FailureKind.NO_PASSING_INSTANCE;
		};
		throw new CounterUnavailableException(kind, unresolved.message(), null);
	}

	private static CounterUnavailableException redisUnreachable(String message, JedisException cause) {
		logger.warn("event=count_failed kind={} message=\"{}\"", FailureKind.REDIS_UNREACHABLE.wireName(), message);
		return new CounterUnavailableException(FailureKind.REDIS_UNREACHABLE, message, cause);
	}

}
