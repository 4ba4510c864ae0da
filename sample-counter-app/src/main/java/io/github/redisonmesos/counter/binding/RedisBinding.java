package io.github.redisonmesos.counter.binding;

import java.net.URI;

/**
 * The bound Redis service: where this app asks Consul for its Redis (and, for an
 * {@code ha} binding, its Sentinels for the primary), the ACL token Consul expects, the
 * user and password Redis expects and, when the binding carries a CA, how to reach Redis
 * over TLS.
 *
 * @param consulUrl Consul's HTTP API, e.g. {@code http://consul.service.consul:8500}
 * @param datacenter the Consul datacenter to query
 * @param serviceName the Consul service name of the Redis instance
 * @param username the Redis ACL user of this binding, {@code null} when the binding names
 * none (an operator's own Redis, the seed demo's variables): then the password alone
 * authenticates, as Redis's {@code default} user
 * @param password the Redis password, {@code null} when Redis has none (the seed demo)
 * @param consulToken the Consul ACL token sent with every Consul request, {@code null}
 * when Consul runs without ACLs
 * @param source where these values came from, for the logs and the page
 * @param sentinel the Sentinels of an {@code ha} binding (with {@code master_name} and
 * {@code sentinels}), {@code null} for a single Redis found through Consul
 * @param tls TLS to Redis, {@code null} for plain text (the binding carries no
 * {@code ca_certificate})
 */
public record RedisBinding(URI consulUrl, String datacenter, String serviceName, String username, String password,
		String consulToken, String source, SentinelBinding sentinel, RedisTls tls) {

	/**
	 * A binding to Redis in plain text.
	 * @param consulUrl Consul's HTTP API
	 * @param datacenter the Consul datacenter to query
	 * @param serviceName the Consul service name of the Redis instance
	 * @param username the Redis ACL user, {@code null} for none
	 * @param password the Redis password, {@code null} for none
	 * @param consulToken the Consul ACL token, {@code null} for none
	 * @param source where these values came from
	 * @param sentinel the Sentinels of an {@code ha} binding, {@code null} for none
	 */
	public RedisBinding(URI consulUrl, String datacenter, String serviceName, String username, String password,
			String consulToken, String source, SentinelBinding sentinel) {
		this(consulUrl, datacenter, serviceName, username, password, consulToken, source, sentinel, null);
	}

	/**
	 * A binding to a single Redis, found through Consul.
	 * @param consulUrl Consul's HTTP API
	 * @param datacenter the Consul datacenter to query
	 * @param serviceName the Consul service name of the Redis instance
	 * @param username the Redis ACL user, {@code null} for none
	 * @param password the Redis password, {@code null} for none
	 * @param consulToken the Consul ACL token, {@code null} for none
	 * @param source where these values came from
	 */
	public RedisBinding(URI consulUrl, String datacenter, String serviceName, String username, String password,
			String consulToken, String source) {
		this(consulUrl, datacenter, serviceName, username, password, consulToken, source, null, null);
	}

	/**
	 * Whether the app follows a primary through Sentinel rather than the one Redis Consul
	 * lists.
	 * @return {@code true} for an {@code ha} binding
	 */
	public boolean isHa() {
		return this.sentinel != null;
	}

	/**
	 * The host part of {@link #consulUrl()}.
	 * @return the Consul host
	 */
	public String consulHost() {
		return this.consulUrl.getHost();
	}

	/**
	 * The port of {@link #consulUrl()}, or the scheme's default when the URL names none.
	 * @return the Consul port
	 */
	public int consulPort() {
		if (this.consulUrl.getPort() != -1) {
			return this.consulUrl.getPort();
		}
		return "https".equalsIgnoreCase(this.consulUrl.getScheme()) ? 443 : 80;
	}

	@Override
	public String toString() {
		// a record's generated toString would print the password and the token into any
		// log line
		return "RedisBinding[consulUrl=" + this.consulUrl + ", datacenter=" + this.datacenter + ", serviceName="
				+ this.serviceName + ", username=" + this.username + ", password=" + presence(this.password)
				+ ", consulToken=" + presence(this.consulToken) + ", source=" + this.source
				+ ((this.sentinel != null) ? ", sentinel=" + this.sentinel : "")
				+ ((this.tls != null) ? ", tls=" + this.tls : "") + "]";
	}

	private static String presence(String secret) {
		return (secret != null) ? "<set>" : "<none>";
	}

}
