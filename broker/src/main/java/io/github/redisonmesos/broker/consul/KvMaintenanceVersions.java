package io.github.redisonmesos.broker.consul;

import java.util.Optional;

import io.github.redisonmesos.broker.maintenance.VersionLedger;
import io.github.redisonmesos.broker.records.Versioned;

import org.springframework.stereotype.Component;

/**
 * {@link VersionLedger} in Consul KV: one key per maintenance version,
 * {@code <prefix>/maintenance/<version>}, created with {@code cas=0} and never changed.
 */
@Component
class KvMaintenanceVersions implements VersionLedger {

	private final KvRecords records;

	KvMaintenanceVersions(KvRecords records) {
		this.records = records;
	}

	@Override
	public Optional<Entry> find(String version) {
		return this.records.read(this.records.maintenanceKey(version), Entry.class).map(Versioned::value);
	}

	@Override
	public boolean record(String version, Entry entry) {
		return this.records.create(this.records.maintenanceKey(version), entry);
	}

}
