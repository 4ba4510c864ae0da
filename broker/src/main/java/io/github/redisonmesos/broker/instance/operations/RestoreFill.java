package io.github.redisonmesos.broker.instance.operations;

import java.util.Optional;

import io.github.redisonmesos.broker.deployment.RedisDeployment;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisMemory;
import io.github.redisonmesos.broker.deployment.RedisUnavailableException;
import io.github.redisonmesos.broker.deployment.RestoreSeeds;
import io.github.redisonmesos.broker.instance.AdminPasswords;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.Operation;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.stereotype.Component;

/**
 * Filling a restored instance (README, Backups and restore). The app that creates it
 * carries the backup's fetch (a fresh pre-signed URL each time it is rendered) and the
 * start command that places the file as the base of the append-only file on its empty
 * volume; once Marathon has it running, the driver redeploys it without the fetch (its
 * settings label differs), and the provision succeeds only when Redis, started again from
 * its volume, has loaded the data with AOF on.
 */
@Component
class RestoreFill {

	private final ObjectProvider<RestoreSeeds> seeds;

	private final RedisMemory redis;

	private final AdminPasswords adminPasswords;

	RestoreFill(ObjectProvider<RestoreSeeds> seeds, RedisMemory redis, AdminPasswords adminPasswords) {
		this.seeds = seeds;
		this.redis = redis;
		this.adminPasswords = adminPasswords;
	}

	/**
	 * The deployment that creates an instance: a restored one's carries its backup.
	 * @param record the instance's record
	 * @param deployment what the record runs
	 * @return the deployment to create the app with
	 */
	RedisDeployment creating(InstanceRecord record, RedisDeployment deployment) {
		InstanceRecord.Restore restore = record.restore();
		if (restore == null || record.operation().type() != Operation.Type.PROVISION) {
			return deployment;
		}
		RestoreSeeds available = this.seeds.getIfAvailable();
		if (available == null) {
			throw new ServiceBrokerException("Instance " + record.instanceId() + " is restored from backup "
					+ restore.backupId() + ", but this broker has no backup store configured (BROKER_BACKUPS_BUCKET).");
		}
		return deployment.toBuilder().seed(available.seed(restore.instanceId(), restore.backupId())).build();
	}

	/**
	 * What a restored instance whose Redis runs still waits for.
	 * @param record the instance's record
	 * @param redis where its Redis listens
	 * @return what it waits for; empty once Redis serves the data with AOF on, and for an
	 * instance created empty
	 */
	Optional<String> waiting(InstanceRecord record, RedisEndpoint redis) {
		InstanceRecord.Restore restore = record.restore();
		if (restore == null || record.operation().type() != Operation.Type.PROVISION) {
			return Optional.empty();
		}
		String info;
		try {
			info = this.redis.persistence(this.adminPasswords.admin(record, redis));
		}
		catch (RedisUnavailableException ex) {
			return Optional.of("restoring backup " + restore.backupId() + ": waiting for Redis to answer");
		}
		if (!info.lines().anyMatch("loading:0"::equals)) {
			return Optional.of("restoring backup " + restore.backupId() + ": Redis is loading it");
		}
		if (!info.lines().anyMatch("aof_enabled:1"::equals)) {
			throw new ServiceBrokerException("Redis restored from backup " + restore.backupId()
					+ " runs without its append-only file (INFO persistence says aof_enabled is not 1): "
					+ "the app template must start redis-server with --appendonly yes.");
		}
		return Optional.empty();
	}

}
