package io.github.redisonmesos.broker.deployment;

/**
 * How the broker reaches one Redis as its admin user.
 *
 * @param endpoint where Redis listens
 * @param user the admin user
 * @param password its password, opened in the broker's memory only
 * @param tls whether Redis speaks TLS there ({@link TlsMode#REQUIRED}: TLS only)
 */
public record RedisAdmin(RedisEndpoint endpoint, String user, String password, TlsMode tls) {

	public RedisAdmin {
		tls = (tls != null) ? tls : TlsMode.DISABLED;
	}

	/**
	 * A Redis without TLS.
	 */
	public RedisAdmin(RedisEndpoint endpoint, String user, String password) {
		this(endpoint, user, password, TlsMode.DISABLED);
	}

	@Override
	public String toString() {
		// the password never reaches a log line or a description
		return this.user + "@" + this.endpoint;
	}

}
