package io.github.redisonmesos.counter.discovery;

/**
 * A Redis address as Consul reports it.
 *
 * @param host the service address, or the node address when the service has none
 * @param port the service port
 */
public record RedisEndpoint(String host, int port) {

	@Override
	public String toString() {
		return this.host + ":" + this.port;
	}

}
