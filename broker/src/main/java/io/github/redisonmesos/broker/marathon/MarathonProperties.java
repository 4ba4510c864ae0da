package io.github.redisonmesos.broker.marathon;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.github.redisonmesos.broker.deployment.PortRange;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;
import org.springframework.validation.annotation.Validated;

/**
 * Where Marathon is and how the broker shapes the Redis apps it sends there.
 *
 * @param url Marathon's base URL ({@code MARATHON_URL})
 * @param group Marathon group of the Redis apps; app ids are
 * {@code /<group>/<instance-id>}
 * @param appTemplate the app definition template, a classpath or file resource
 * @param timeout connect and read timeout of each Marathon call
 * @param lockedWait how long a create or update waits for Marathon to release an app
 * locked by a deployment before the request is answered with a concurrency error
 * @param haNodeTemplate the app definition template of one node of an HA instance (a
 * Redis and a Sentinel), a classpath or file resource
 * @param redisPorts the host ports set aside for Redis instances
 * ({@code BROKER_MARATHON_REDIS_PORTS}, e.g. {@code 33000-33999}): each instance gets one
 * of its own and its app requires it ({@code requirePorts}), so its address survives
 * moves; the agents must offer the range and Marathon's dynamic ports must not use it.
 * Empty: any port Marathon gives, which changes on every restart
 * @param acceptedResourceRoles the {@code acceptedResourceRoles} of every Redis app, both
 * templates' ({@code BROKER_MARATHON_ACCEPTEDRESOURCEROLES}, e.g. {@code *,marathon} when
 * the agents reserve the Redis range for Marathon's role); empty: as the templates say
 * (the shipped ones: Marathon's {@code --default_accepted_resource_roles})
 */
@Validated
@ConfigurationProperties("broker.marathon")
public record MarathonProperties(@NotNull @DefaultValue("http://127.0.0.1:8080") URI url,
		@NotNull @Pattern(regexp = "[a-z0-9]([a-z0-9.-]*[a-z0-9])?") @DefaultValue("osb-redis") String group,
		@NotNull @DefaultValue("classpath:marathon/redis-app-template.json") Resource appTemplate,
		@NotNull @DefaultValue("classpath:marathon/redis-ha-node-template.json") Resource haNodeTemplate,
		@NotNull @DefaultValue("10s") Duration timeout, @NotNull @DefaultValue("5s") Duration lockedWait,
		@NotNull @Pattern(regexp = "(\\s*\\d{1,5}\\s*-\\s*\\d{1,5}\\s*)?",
				message = "must be a port range such as 33000-33999, or empty") @DefaultValue("") String redisPorts,
		@NotNull @DefaultValue( {
		}) List<@Pattern(regexp = "\\*|[A-Za-z0-9_][A-Za-z0-9_.-]*",
				message = "must be a Mesos role such as * or marathon") String> acceptedResourceRoles){

	/**
	 * The host ports set aside for Redis instances.
	 * @return the range, empty when none is set
	 * @throws IllegalArgumentException when the range is reversed or beyond 65535
	 */
	public Optional<PortRange> redisPortRange() {
		return this.redisPorts.isBlank() ? Optional.empty() : Optional.of(PortRange.parse(this.redisPorts));
	}

}
