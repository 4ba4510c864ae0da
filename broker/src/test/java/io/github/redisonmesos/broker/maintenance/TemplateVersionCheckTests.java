package io.github.redisonmesos.broker.maintenance;

import java.time.Clock;

import io.github.redisonmesos.broker.consul.TestKvRecords;
import io.github.redisonmesos.broker.instance.operations.TestBroker;
import io.github.redisonmesos.broker.marathon.TestAppDefinitions;
import io.github.redisonmesos.broker.security.RequiredSettingException;
import io.github.redisonmesos.broker.support.FakeConsul;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A maintenance version stands for one set of node templates, shared through Consul KV:
 * the shipped templates, rendered, are what a version is recorded for, and a broker whose
 * templates differ from its version's does not start.
 */
class TemplateVersionCheckTests {

	private static final String SHIPPED = TestAppDefinitions.shippedTemplate();

	private static final String NEW_IMAGE = SHIPPED.replaceFirst("redis@sha256:[0-9a-f]{64}",
			"redis@sha256:" + "b".repeat(64));

	private final FakeConsul consul = new FakeConsul();

	private final VersionLedger ledger = TestKvRecords.maintenanceVersions(this.consul, TestBroker.consulProperties(""),
			TestBroker.OBJECT_MAPPER);

	@Test
	void theFirstBrokerOfAVersionRecordsItsTemplatesAndTheNextWithTheSameStarts() {
		check("1.0.0", SHIPPED);
		assertThat(this.consul.values()).containsOnlyKeys("osb-redis/maintenance/1.0.0");
		assertThat(this.consul.values().get("osb-redis/maintenance/1.0.0"))
			.contains(TestAppDefinitions.nodeTemplates(SHIPPED).digest())
			.contains("redis@sha256:0637954999d01b7c9ce9167db2da50656e2590d3b884f1c600c5f63bb6e6773c");
		String recorded = this.consul.values().get("osb-redis/maintenance/1.0.0");
		// another broker, or this one restarted, with the same templates laid out anew
		check("1.0.0", SHIPPED.replace("\n", "\n  "));
		assertThat(this.consul.values().get("osb-redis/maintenance/1.0.0")).isEqualTo(recorded);
	}

	@Test
	void aBrokerWithOtherTemplatesUnderARecordedVersionDoesNotStartAndNamesBoth() {
		check("1.0.0", SHIPPED);
		String old = TestAppDefinitions.nodeTemplates(SHIPPED).digest();
		String now = TestAppDefinitions.nodeTemplates(NEW_IMAGE).digest();
		assertThat(now).isNotEqualTo(old);
		assertThatExceptionOfType(RequiredSettingException.class).isThrownBy(() -> check("1.0.0", NEW_IMAGE))
			.withMessageContaining("broker.maintenance.version 1.0.0 (BROKER_MAINTENANCE_VERSION) was recorded for "
					+ "node templates " + old)
			.withMessageContaining("but the templates now are " + now)
			.withMessageContaining("redis@sha256:" + "b".repeat(64));
		// with a new version it starts, and both stay recorded
		check("1.1.0", NEW_IMAGE);
		assertThat(this.consul.values()).containsOnlyKeys("osb-redis/maintenance/1.0.0", "osb-redis/maintenance/1.1.0");
	}

	@Test
	void aCommandChangedUnderTheSameImageIsAnotherTemplateToo() {
		check("1.0.0", SHIPPED);
		assertThatExceptionOfType(RequiredSettingException.class)
			.isThrownBy(() -> check("1.0.0", SHIPPED.replace("--appendonly yes", "--appendonly yes --hz 20")));
	}

	@Test
	void withConsulAwayTheBrokerStartsAndSaysItDidNotCheck() {
		this.consul.unreachable(true);
		TemplateVersionCheck check = new TemplateVersionCheck(
				new PlanVersions(new MaintenanceProperties("1.0.0", ""), TestAppDefinitions.nodeTemplates(SHIPPED)),
				this.ledger, Clock.systemUTC());
		check.run(null);
		this.consul.unreachable(false);
		assertThat(this.consul.values()).isEmpty();
	}

	@Test
	void theCatalogDescriptionSaysWhatAnUpgradeChangesUnlessTheOperatorDoes() {
		PlanVersions shipped = new PlanVersions(new MaintenanceProperties("1.0.0", ""),
				TestAppDefinitions.nodeTemplates(SHIPPED));
		assertThat(shipped.info().getDescription()).isEqualTo(
				"Redis image redis@sha256:0637954999d01b7c9ce9167db2da50656e2590d3b884f1c600c5f63bb6e6773c; node "
						+ "templates " + TestAppDefinitions.nodeTemplates(SHIPPED).digest());
		PlanVersions described = new PlanVersions(
				new MaintenanceProperties("1.1.0", "Redis 7.2.5 (CVE-2024-31449); Redis restarts once"),
				TestAppDefinitions.nodeTemplates(NEW_IMAGE));
		assertThat(described.info().getVersion()).isEqualTo("1.1.0");
		assertThat(described.info().getDescription()).isEqualTo("Redis 7.2.5 (CVE-2024-31449); Redis restarts once");
	}

	private void check(String version, String appTemplate) {
		new TemplateVersionCheck(
				new PlanVersions(new MaintenanceProperties(version, ""), TestAppDefinitions.nodeTemplates(appTemplate)),
				this.ledger, Clock.systemUTC())
			.check();
	}

}
