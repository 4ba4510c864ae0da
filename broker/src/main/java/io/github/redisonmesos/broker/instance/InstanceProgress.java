package io.github.redisonmesos.broker.instance;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import io.github.redisonmesos.broker.consul.ConsulClient;
import io.github.redisonmesos.broker.marathon.AppStatus;
import io.github.redisonmesos.broker.marathon.MarathonClient;
import io.github.redisonmesos.broker.marathon.RedisApp;
import io.github.redisonmesos.broker.marathon.RedisAppDefinitions;

import org.springframework.stereotype.Component;

/**
 * Works out where an unfinished operation stands from what Marathon and Consul say now;
 * nothing is remembered between polls, so any broker instance can answer.
 */
@Component
class InstanceProgress {

	private final MarathonClient marathon;

	private final ConsulClient consul;

	private final RedisAppDefinitions definitions;

	private final Duration timeout;

	private final Clock clock;

	InstanceProgress(MarathonClient marathon, ConsulClient consul, RedisAppDefinitions definitions,
			ProvisionProperties properties, Clock clock) {
		this.marathon = marathon;
		this.consul = consul;
		this.definitions = definitions;
		this.timeout = properties.timeout();
		this.clock = clock;
	}

	Operation check(InstanceRecord record) {
		Operation operation = record.operation();
		String appId = this.definitions.appId(record.instanceId());
		String service = RedisApp.consulService(record.instanceId());
		Optional<AppStatus> app = this.marathon.app(appId);
		if (operation.type() == Operation.Type.DEPROVISION) {
			if (app.isPresent()) {
				return timedOutOr(operation, "waiting for Marathon to remove the Redis app " + appId, appId);
			}
			if (!this.consul.instances(service, false).isEmpty()) {
				return timedOutOr(operation, "waiting for Consul to deregister " + service, appId);
			}
			return operation.to(Operation.State.SUCCEEDED, "Redis app removed");
		}
		if (app.isEmpty()) {
			return operation.to(Operation.State.FAILED,
					"Marathon has no app " + appId + "; delete this service instance and create it again.");
		}
		AppStatus status = app.get();
		AppStatus.TaskFailure failure = status.lastTaskFailure();
		if (status.tasksHealthy() == 0 && failure != null && !failure.timestamp().isBefore(operation.startedAt())) {
			return operation.to(Operation.State.FAILED, "Redis task failed: " + failure.message());
		}
		if (status.deploymentsInFlight() > 0 || status.tasksHealthy() == 0) {
			return timedOutOr(operation, "waiting for Marathon to start the Redis task", appId);
		}
		if (this.consul.instances(service, true).isEmpty()) {
			return timedOutOr(operation, "waiting for Consul to list " + service + " as passing", appId);
		}
		return operation.to(Operation.State.SUCCEEDED, "Redis is running");
	}

	private Operation timedOutOr(Operation operation, String waiting, String appId) {
		Duration elapsed = Duration.between(operation.startedAt(), this.clock.instant());
		if (elapsed.compareTo(this.timeout) > 0) {
			return operation.to(Operation.State.FAILED,
					"gave up after " + readable(this.timeout) + " (broker.provision.timeout) " + waiting
							+ "; check the app " + appId + " in Marathon for the cause.");
		}
		return operation.to(Operation.State.IN_PROGRESS, waiting);
	}

	// "10 minutes" rather than PT10M; a timeout under a minute would otherwise read "0"
	private static String readable(Duration duration) {
		if (duration.toSecondsPart() == 0 && duration.toMinutes() > 0) {
			return duration.toMinutes() + " minutes";
		}
		return duration.toSeconds() + " seconds";
	}

}
