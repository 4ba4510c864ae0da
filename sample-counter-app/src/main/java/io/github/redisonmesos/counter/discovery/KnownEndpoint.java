package io.github.redisonmesos.counter.discovery;

import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import io.github.redisonmesos.counter.discovery.Resolution.Reason;
import io.github.redisonmesos.counter.discovery.Resolution.Resolved;
import io.github.redisonmesos.counter.discovery.Resolution.Unresolved;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Consul last said about the Redis service, and whether it last answered at all:
 * turns answers and failures from the watch and from re-resolutions into one
 * {@link Resolution}.
 */
final class KnownEndpoint {

	private static final Logger logger = LoggerFactory.getLogger(KnownEndpoint.class);

	private final String query;

	private final Clock clock;

	private final AtomicReference<Resolution> state;

	private final AtomicReference<ConsulContact> contact = new AtomicReference<>();

	KnownEndpoint(String query, Clock clock) {
		this.query = query;
		this.clock = clock;
		this.state = new AtomicReference<>(
				new Unresolved(Reason.CONSUL_UNREACHABLE, "Consul has not been asked yet", clock.instant()));
	}

	Resolution current() {
		return this.state.get();
	}

	ConsulContact lastContact() {
		return this.contact.get();
	}

	synchronized Resolution answered(LookupResult result) {
		this.contact.set(ConsulContact.answered(this.clock.instant(), result.index()));
		Resolution previous = this.state.get();
		Resolution next;
		if (result.endpoints().isEmpty()) {
			next = new Unresolved(Reason.NO_PASSING_INSTANCE, "Consul answered but lists no " + this.query,
					this.clock.instant());
		}
		else {
			// stay where we are while Consul still lists it: no needless pool swaps
			RedisEndpoint chosen = (previous instanceof Resolved resolved
					&& result.endpoints().contains(resolved.endpoint())) ? resolved.endpoint()
							: result.endpoints().get(0);
			next = new Resolved(chosen, this.clock.instant());
		}
		this.state.set(next);
		logChange(previous, next, result.index());
		return next;
	}

	synchronized Resolution failed(ConsulLookupException ex) {
		this.contact.set(ConsulContact.failed(this.clock.instant(), ex.getMessage()));
		Resolution previous = this.state.get();
		// a known endpoint stays usable while Consul is away; a Redis error makes the app
		// ask again
		if (!(previous instanceof Resolved)) {
			this.state.set(new Unresolved(Reason.CONSUL_UNREACHABLE, ex.getMessage(), this.clock.instant()));
		}
		logger.warn("event=consul_lookup_failed kept_endpoint={} error=\"{}\"", previous instanceof Resolved,
				ex.getMessage());
		return this.state.get();
	}

	private static void logChange(Resolution previous, Resolution next, long index) {
		String before = summary(previous);
		String after = summary(next);
		if (!before.equals(after)) {
			logger.info("event=redis_endpoint_changed from={} to={} consul_index={}", before, after, index);
		}
	}

	private static String summary(Resolution resolution) {
		if (resolution instanceof Resolved resolved) {
			return resolved.endpoint().toString();
		}
		return ((Unresolved) resolution).reason().name().toLowerCase(Locale.ROOT);
	}

}
