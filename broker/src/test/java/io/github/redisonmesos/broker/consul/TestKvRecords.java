package io.github.redisonmesos.broker.consul;

import io.github.redisonmesos.broker.tls.TlsDeliveryRecords;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.backup.BackupRecords;
import io.github.redisonmesos.broker.binding.BindingRecords;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.instance.InstanceRecords;
import io.github.redisonmesos.broker.instance.ports.PortClaims;
import io.github.redisonmesos.broker.maintenance.VersionLedger;

/**
 * Builds the Consul adapters (record stores and discovery) outside a Spring context.
 */
public final class TestKvRecords {

	private TestKvRecords() {
	}

	public static InstanceRecords instances(ConsulClient consul, ConsulProperties properties,
			ObjectMapper objectMapper) {
		return new KvInstanceRecords(new KvRecords(consul, properties, objectMapper));
	}

	public static BindingRecords bindings(ConsulClient consul, ConsulProperties properties, ObjectMapper objectMapper) {
		return new KvBindingRecords(new KvRecords(consul, properties, objectMapper));
	}

	public static PortClaims portClaims(ConsulClient consul, ConsulProperties properties, ObjectMapper objectMapper) {
		return new KvPortClaims(new KvRecords(consul, properties, objectMapper));
	}

	public static VersionLedger maintenanceVersions(ConsulClient consul, ConsulProperties properties,
			ObjectMapper objectMapper) {
		return new KvMaintenanceVersions(new KvRecords(consul, properties, objectMapper));
	}

	public static BackupRecords backups(ConsulClient consul, ConsulProperties properties, ObjectMapper objectMapper) {
		return new KvBackupRecords(new KvRecords(consul, properties, objectMapper));
	}

	public static RedisDiscovery discovery(ConsulClient consul, ConsulProperties properties) {
		return new ConsulRedisDiscovery(consul, properties);
	}

	public static TlsDeliveryRecords tlsDeliveries(ConsulClient consul, ConsulProperties properties,
			ObjectMapper objectMapper) {
		return new KvTlsDeliveries(new KvRecords(consul, properties, objectMapper));
	}

}
