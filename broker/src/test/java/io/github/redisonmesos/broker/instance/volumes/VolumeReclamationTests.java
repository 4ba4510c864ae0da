package io.github.redisonmesos.broker.instance.volumes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.instance.InstanceRecord.VolumeState;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.operations.TestBroker;
import io.github.redisonmesos.broker.libstorage.TestVolumeStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Volume reclamation by the clock, against libStorage answers in the shape of
 * {@code contract/libstorage} served by WireMock: nothing is asked of libStorage before
 * the retention has passed, the tombstone outlives {@code remember-removed} until its
 * volume is deleted, and a tombstone written before volumes were tracked is reclaimed
 * under its old name.
 */
class VolumeReclamationTests {

	private static final String VOLUME_ID = "vol-000";

	private WireMockServer libStorage;

	private TestBroker broker;

	private final String instanceId = UUID.randomUUID().toString();

	@BeforeEach
	void start() {
		this.libStorage = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
		this.libStorage.start();
		this.broker = new TestBroker(TestVolumeStores.at(this.libStorage.baseUrl(), "ebs-00"));
	}

	@AfterEach
	void stop() {
		this.libStorage.stop();
	}

	@Test
	void theVolumeIsDeletedByTheFirstReconciliationAfterTheRetentionAndOnlyThenIsTheTombstoneForgotten() {
		InstanceRecord tombstone = removed();
		assertThat(tombstone.volumeState()).isEqualTo(VolumeState.RETAINED);
		String name = tombstone.volumeNames().get(0);
		assertThat(tombstone.volumes().deleteAfter()).isEqualTo(tombstone.removedAt().plus(Duration.ofDays(7)));
		listedUntilDeleted(name);

		this.broker.clock.advance(Duration.ofDays(7).minusMinutes(1));
		this.broker.reconcile(false);
		assertThat(this.libStorage.findAll(anyRequestedFor(anyUrl()))).as("nothing asked before the retention")
			.isEmpty();
		assertThat(this.broker.record(this.instanceId).volumeState()).as("kept past remember-removed (1h)")
			.isEqualTo(VolumeState.RETAINED);

		this.broker.clock.advance(Duration.ofMinutes(2));
		this.broker.reconcile(false);
		this.libStorage.verify(deleteRequestedFor(urlPathEqualTo("/volumes/ebs-00/" + VOLUME_ID)));
		assertThat(this.broker.record(this.instanceId).volumeState()).isEqualTo(VolumeState.DELETED);
		this.broker.reconcile(false);
		assertThat(this.broker.instances.find(this.instanceId)).isEmpty();
	}

	@Test
	void aTombstoneWrittenBeforeVolumesWereTrackedIsReclaimedUnderItsOldNameOnceTheRetentionFromItsRemovalHasPassed() {
		InstanceRecord tracked = removed();
		this.broker.instances.replace(this.broker.instances.find(this.instanceId).orElseThrow(),
				tracked.withVolumes(null));
		InstanceRecord legacy = this.broker.record(this.instanceId);
		assertThat(legacy.volumeState()).isEqualTo(VolumeState.LEFT_TO_OPERATOR);
		assertThat(legacy.volumeNames()).containsExactly("osb-redis-" + this.instanceId);
		listedUntilDeleted("osb-redis-" + this.instanceId);

		this.broker.clock.advance(Duration.ofDays(1));
		this.broker.reconcile(false);
		assertThat(this.broker.instances.find(this.instanceId)).as("kept: a URL is set, the volume not deleted")
			.isPresent();

		this.broker.clock.advance(Duration.ofDays(6).plusMinutes(1));
		this.broker.reconcile(false);
		this.libStorage.verify(deleteRequestedFor(urlPathEqualTo("/volumes/ebs-00/" + VOLUME_ID)));
		assertThat(this.broker.record(this.instanceId).volumeState()).isEqualTo(VolumeState.DELETED);
	}

	@Test
	void aProvisionOverATombstoneWhoseVolumeIsStillRetainedIsRefusedAndChangesNothing() {
		InstanceRecord tombstone = removed();
		Instant removedAt = tombstone.removedAt();

		assertThat(catchThrowable(() -> this.broker.provision(this.instanceId, TestBroker.SMALL)))
			.hasMessageContaining(tombstone.volumeNames().get(0))
			.hasMessageContaining("another id");
		assertThat(this.broker.record(this.instanceId).removedAt()).isEqualTo(removedAt);
	}

	private InstanceRecord removed() {
		this.broker.provisioned(this.instanceId, "10.0.0.1", 6379);
		this.broker.deprovision(this.instanceId);
		this.broker.consul.deregister(ServiceNames.of(this.instanceId));
		this.broker.lastOperation(this.instanceId, "deprovision");
		return this.broker.record(this.instanceId);
	}

	// the fixture's listing with vol-000 named as the broker's volume, until a DELETE
	private void listedUntilDeleted(String name) {
		ObjectNode listing = (ObjectNode) fixture("volumes_service.response.json");
		((ObjectNode) listing.get(VOLUME_ID)).put("name", name);
		this.libStorage.stubFor(get("/volumes/ebs-00").inScenario("volume")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(okJson(listing.toString())));
		this.libStorage.stubFor(delete("/volumes/ebs-00/" + VOLUME_ID).inScenario("volume")
			.willSetStateTo("deleted")
			.willReturn(aResponse().withStatus(205)));
		listing.remove(VOLUME_ID);
		this.libStorage.stubFor(get("/volumes/ebs-00").inScenario("volume")
			.whenScenarioStateIs("deleted")
			.willReturn(okJson(listing.toString())));
	}

	private static JsonNode fixture(String name) {
		try (InputStream in = VolumeReclamationTests.class.getResourceAsStream("/contract/libstorage/" + name)) {
			return TestBroker.OBJECT_MAPPER.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
