package io.github.redisonmesos.broker.deployment;

/**
 * Where one Redis listens.
 *
 * @param host host name or IP address
 * @param port port
 */
public record RedisEndpoint(String host, int port) {

	@Override
	public String toString() {
		return this.host + ":" + this.port;
	}

}
