package io.github.redisonmesos.broker.maintenance;

import java.time.Clock;
import java.util.Optional;

import io.github.redisonmesos.broker.security.RequiredSettingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.stereotype.Component;

/**
 * Holds each maintenance version to one set of node templates: the first broker that
 * starts with a version records the templates' digest for it, and a broker whose
 * templates differ from what its version was recorded with does not start. So an operator
 * cannot change what runs (image, templates) without raising the version, and instances
 * on the old version see {@code upgrade_available}.
 */
@Component
class TemplateVersionCheck implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(TemplateVersionCheck.class);

	private final PlanVersions versions;

	private final VersionLedger ledger;

	private final Clock clock;

	TemplateVersionCheck(PlanVersions versions, VersionLedger ledger, Clock clock) {
		this.versions = versions;
		this.ledger = ledger;
		this.clock = clock;
	}

	@Override
	public void run(ApplicationArguments args) {
		try {
			check();
		}
		catch (ServiceBrokerException ex) {
			// Consul away: the broker serves what it can; the next start checks again
			logger.warn("event=maintenance_version_unchecked version={} reason=\"{}\"", this.versions.version(),
					ex.getMessage());
		}
	}

	/**
	 * Record the version's templates, or compare them with those recorded.
	 * @throws RequiredSettingException when the version was recorded for other templates
	 */
	void check() {
		String version = this.versions.version().text();
		NodeTemplates templates = this.versions.templates();
		VersionLedger.Entry ours = new VersionLedger.Entry(templates.digest(), templates.images(),
				this.clock.instant());
		Optional<VersionLedger.Entry> recorded = this.ledger.find(version);
		if (recorded.isEmpty() && this.ledger.record(version, ours)) {
			logger.info("event=maintenance_version_recorded version={} digest={} images={}", version, ours.digest(),
					ours.images());
			return;
		}
		VersionLedger.Entry entry = recorded.or(() -> this.ledger.find(version)).orElseThrow();
		if (!entry.digest().equals(ours.digest())) {
			throw new RequiredSettingException("broker.maintenance.version " + version
					+ " (BROKER_MAINTENANCE_VERSION) was recorded for node templates " + entry.digest() + " (images "
					+ String.join(", ", entry.images()) + ") on " + entry.recordedAt() + ", but the templates now are "
					+ ours.digest() + " (images " + String.join(", ", ours.images()) + "): instances on " + version
					+ " would not run what the version says.",
					"Raise BROKER_MAINTENANCE_VERSION above " + version
							+ " for the new templates (and say what changes "
							+ "in BROKER_MAINTENANCE_DESCRIPTION), or restore the templates of " + version
							+ " (README, \"Upgrading the Redis image\").");
		}
		logger.info("event=maintenance_version_checked version={} digest={}", version, ours.digest());
	}

}
