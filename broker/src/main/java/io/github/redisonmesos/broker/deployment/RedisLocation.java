package io.github.redisonmesos.broker.deployment;

import java.util.List;
import java.util.Optional;

/**
 * An instance's Redis in the service registry.
 *
 * @param service the service name bound apps ask the registry for
 * @param passing the endpoints whose health checks pass
 */
public record RedisLocation(String service, List<RedisEndpoint> passing) {

	public RedisLocation {
		passing = List.copyOf(passing);
	}

	/**
	 * The endpoint to use now.
	 * @return the first passing endpoint, empty when none passes (Redis is moving or
	 * down)
	 */
	public Optional<RedisEndpoint> endpoint() {
		return this.passing.stream().findFirst();
	}

}
