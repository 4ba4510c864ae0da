package io.github.redisonmesos.broker.marathon;

import java.net.URI;
import java.time.Duration;

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
 */
@Validated
@ConfigurationProperties("broker.marathon")
public record MarathonProperties(@NotNull @DefaultValue("http://127.0.0.1:8080") URI url,
		@NotNull @Pattern(regexp = "[a-z0-9]([a-z0-9.-]*[a-z0-9])?") @DefaultValue("osb-redis") String group,
		@NotNull @DefaultValue("classpath:marathon/redis-app-template.json") Resource appTemplate,
		@NotNull @DefaultValue("10s") Duration timeout, @NotNull @DefaultValue("5s") Duration lockedWait) {

}
