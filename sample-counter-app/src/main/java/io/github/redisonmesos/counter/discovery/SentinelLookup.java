package io.github.redisonmesos.counter.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.redisonmesos.counter.binding.SentinelBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The primary of an {@code ha} binding, as its Sentinels name it: the
 * {@link EndpointLookup} the watch follows instead of Consul's Redis service.
 * <p>
 * The Sentinels are found through Consul (the binding's {@code consul_sentinel_service},
 * passing instances), or, when Consul lists none or cannot be asked, in the binding's
 * {@code sentinels}. A plain read ({@code wait == null}) asks them in turn
 * ({@code SENTINEL GET-MASTER-ADDR-BY-NAME}, then {@code SENTINEL MASTER} for the role
 * and the config epoch). A blocking read subscribes to {@code +switch-master} on one of
 * them, then asks (so that a switch between two reads is never missed), and returns at
 * once when the answer differs from the caller's, else on the first
 * {@code +switch-master} or when {@code wait} is over. The answer's index is the
 * primary's config epoch plus one: Sentinels agree on it, it grows with each failover, so
 * an older answer (a Sentinel that has not heard of the failover yet) never replaces a
 * newer one. Authenticates as the binding's {@code sentinel_username}; the password is
 * never logged.
 */
final class SentinelLookup implements EndpointLookup {

	static final String SWITCH_MASTER = "+switch-master";

	// the role of a primary the Sentinel sees up, with no other flag
	private static final String SETTLED = "master";

	private static final long UNSETTLED_PAUSE_MILLIS = 1000;

	private static final Logger logger = LoggerFactory.getLogger(SentinelLookup.class);

	private final SentinelBinding binding;

	private final EndpointLookup consulSentinels;

	private final JedisClientConfig config;

	// guarded by this: the answer with the highest config epoch so far
	private LookupResult newest;

	/**
	 * @param binding the binding's Sentinels
	 * @param consulSentinels the Consul lookup of the Sentinels' service, {@code null}
	 * when the binding names none
	 * @param config how to connect to a Sentinel: its user, password and timeouts
	 */
	SentinelLookup(SentinelBinding binding, EndpointLookup consulSentinels, JedisClientConfig config) {
		this.binding = binding;
		this.consulSentinels = consulSentinels;
		this.config = config;
	}

	@Override
	public LookupResult passingInstances(long index, Duration wait) {
		Found sentinels = sentinels();
		if (wait == null) {
			return ask(sentinels, null);
		}
		JedisException last = null;
		for (RedisEndpoint sentinel : sentinels.endpoints()) {
			Connection subscription;
			try {
				subscription = new Connection(new HostAndPort(sentinel.host(), sentinel.port()), this.config);
			}
			catch (JedisException ex) {
				last = ex;
				continue;
			}
			try (subscription) {
				return follow(subscription, sentinel, sentinels, index, wait);
			}
			catch (JedisException ex) {
				last = ex;
			}
		}
		throw unreachable(sentinels, last);
	}

	// subscribed first, then asked: a switch after the answer comes as a message
	private LookupResult follow(Connection subscription, RedisEndpoint sentinel, Found sentinels, long index,
			Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		subscription.sendCommand(Protocol.Command.SUBSCRIBE, SWITCH_MASTER);
		subscription.getOne();
		LookupResult now = ask(sentinels, sentinel);
		if (now.index() != index) {
			return now;
		}
		long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
		if (leftMillis <= 0) {
			return now;
		}
		if (!SETTLED.equals(now.sentinel().role())) {
			// the Sentinel's view is still moving (just after a switch it has not reached
			// the new primary yet: "disconnected"; or it sees the primary down): ask
			// again
			// within a second, so the role shown follows
			leftMillis = Math.min(leftMillis, UNSETTLED_PAUSE_MILLIS);
		}
		subscription.setSoTimeout((int) Math.min(leftMillis, Integer.MAX_VALUE));
		try {
			subscription.getUnflushedObject();
		}
		catch (JedisConnectionException ex) {
			// the wait is over (a read timeout), or this Sentinel went away: either way,
			// what the Sentinels say now
			return ask(sentinels(), null);
		}
		logger.info("event=sentinel_switch_master sentinel={} master_name={}", sentinel, this.binding.masterName());
		return ask(sentinels, sentinel);
	}

	/**
	 * Asks the Sentinels, {@code first} first, until one answers; a Sentinel that has not
	 * heard of the last failover yet (a lower config epoch than an earlier answer) gets
	 * the earlier answer instead.
	 */
	private LookupResult ask(Found sentinels, RedisEndpoint first) {
		LookupResult asked = askAny(sentinels, first);
		synchronized (this) {
			if (this.newest == null || asked.index() >= this.newest.index()) {
				this.newest = asked;
			}
			return this.newest;
		}
	}

	private LookupResult askAny(Found sentinels, RedisEndpoint first) {
		JedisException last = null;
		if (first != null) {
			try {
				return ask(first, sentinels);
			}
			catch (JedisException ex) {
				last = ex;
			}
		}
		for (RedisEndpoint sentinel : sentinels.endpoints()) {
			if (sentinel.equals(first)) {
				continue;
			}
			try {
				return ask(sentinel, sentinels);
			}
			catch (JedisException ex) {
				last = ex;
			}
		}
		throw unreachable(sentinels, last);
	}

	private LookupResult ask(RedisEndpoint sentinel, Found sentinels) {
		try (Jedis jedis = new Jedis(new HostAndPort(sentinel.host(), sentinel.port()), this.config)) {
			List<String> address = jedis.sentinelGetMasterAddrByName(this.binding.masterName());
			if (address == null || address.size() < 2) {
				return new LookupResult(List.of(), 0, new SentinelView("unknown", sentinels.from()));
			}
			RedisEndpoint primary = new RedisEndpoint(address.get(0), Integer.parseInt(address.get(1)));
			Map<String, String> master = jedis.sentinelMaster(this.binding.masterName());
			long epoch = Long.parseLong(master.getOrDefault("config-epoch", "0"));
			return new LookupResult(List.of(primary), epoch + 1,
					new SentinelView(role(primary, master), sentinels.from()));
		}
	}

	/**
	 * The primary's role as the Sentinel reports it: {@code role-reported}, with the
	 * flags when they say more than {@code master}. While a failover finishes, the
	 * promoted replica is named before the Sentinel's view of the old primary changes.
	 */
	static String role(RedisEndpoint primary, Map<String, String> master) {
		boolean same = primary.host().equals(master.get("ip"))
				&& Integer.toString(primary.port()).equals(master.get("port"));
		if (!same) {
			return "master (promoted replica, failover in progress)";
		}
		String role = master.getOrDefault("role-reported", "unknown");
		String flags = master.getOrDefault("flags", "master");
		return "master".equals(flags) ? role : role + " (" + flags + ")";
	}

	private Found sentinels() {
		ConsulAclFilteredException hidden = null;
		if (this.consulSentinels != null) {
			try {
				List<RedisEndpoint> listed = this.consulSentinels.passingInstances(0, null).endpoints();
				if (!listed.isEmpty()) {
					return new Found(listed, "Consul service '" + this.binding.consulService() + "'", null);
				}
				logger.debug("event=sentinels_from_binding reason=consul_lists_none");
			}
			catch (ConsulAclFilteredException ex) {
				// the binding's Sentinels may still answer; if none does, this is why
				logger.warn("event=sentinels_from_binding reason=consul_acl_filtered error=\"{}\"", ex.getMessage());
				hidden = ex;
			}
			catch (EndpointLookupException ex) {
				logger.debug("event=sentinels_from_binding reason=consul_failed error=\"{}\"", ex.getMessage());
			}
		}
		return new Found(this.binding.sentinels()
			.stream()
			.map((address) -> new RedisEndpoint(address.host(), address.port()))
			.toList(), "the binding's sentinels", hidden);
	}

	private EndpointLookupException unreachable(Found sentinels, JedisException last) {
		String tried = "No Sentinel answered for " + describe() + " (tried " + sentinels.endpoints() + ", from "
				+ sentinels.from() + ")" + ((last != null) ? ": " + last.getMessage() : "");
		if (sentinels.hidden() != null) {
			// the Sentinels Consul hid are the ones that would answer
			return new ConsulAclFilteredException(sentinels.hidden().getMessage() + ". " + tried);
		}
		return new EndpointLookupException(tried, last);
	}

	@Override
	public String describe() {
		String consul = (this.consulSentinels != null) ? "Consul service '" + this.binding.consulService() + "', else "
				: "";
		return "the primary named '" + this.binding.masterName() + "' by its Sentinels (" + consul + "the binding's "
				+ this.binding.sentinels() + ")";
	}

	@Override
	public String noneListed() {
		return "A Sentinel answered but knows no primary named '" + this.binding.masterName() + "'";
	}

	@Override
	public Resolution.Reason unreachable() {
		return Resolution.Reason.SENTINEL_UNREACHABLE;
	}

	/**
	 * The Sentinels to ask.
	 *
	 * @param endpoints where they listen
	 * @param from where they were found, for messages
	 * @param hidden why Consul listed none, when its ACLs hid them; {@code null}
	 * otherwise
	 */
	private record Found(List<RedisEndpoint> endpoints, String from, ConsulAclFilteredException hidden) {
	}

}
