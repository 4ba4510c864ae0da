package io.github.redisonmesos.broker.component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRecord.VolumeState;
import io.github.redisonmesos.broker.reconcile.Reconciliation;
import io.github.redisonmesos.testsupport.EndToEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Volumes of deprovisioned instances on the local platform, whose libStorage API lists
 * the external volumes its tasks mount: deleted at once with a retention of 0, kept until
 * the reconciliation after the retention otherwise, reported when libStorage is away
 * (then deleted by a later reconciliation) and when it answers a delete with success but
 * keeps the volume (the platform's REX-Ray {@code remove.disable} switch).
 * <p>
 * Beside other classes: it reads the JVM's log output through {@link JvmOutput}.
 */
@ExtendWith(JvmOutput.class)
@EndToEnd
class VolumesLocalPlatformTests {

	private static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	private static final String SMALL = "7037679f-8cf6-4831-b275-13d953c85cbb";

	private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

	private static final Duration RETENTION = Duration.ofSeconds(6);

	@TempDir
	static Path work;

	private static LocalPlatform platform;

	private static LocalPlatform keepingPlatform;

	// libStorage as the broker with a retention of 0 reaches it: the platform's, through
	// a proxy that a test can turn into an outage
	private static WireMockServer libStorageProxy;

	private static final List<ConfigurableApplicationContext> brokers = new ArrayList<>();

	private static Broker deletesAtOnce;

	private static Broker retains;

	private static Broker onKeepingPlatform;

	@BeforeAll
	static void start() throws Exception {
		Path keepingState = Files.createDirectories(work.resolve("keeping")).resolve("state");
		// both at once: each start is mostly a JVM waiting for its server
		CompletableFuture<LocalPlatform> keeping = CompletableFuture.supplyAsync(() -> {
			try {
				return new LocalPlatform(keepingState, "--local-platform.libstorage-remove-disabled=true");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
		platform = new LocalPlatform(Files.createDirectories(work.resolve("platform")).resolve("state"));
		keepingPlatform = keeping.join();
		libStorageProxy = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
		libStorageProxy.start();
		libStorageProxy.stubFor(WireMock.any(WireMock.anyUrl())
			.atPriority(10)
			.willReturn(WireMock.aResponse().proxiedFrom(platform.libStorage(""))));
		deletesAtOnce = broker(platform, libStorageProxy.baseUrl(), "0", "1h");
		// tombstones are remembered for no time: only their volumes keep them
		retains = broker(platform, platform.libStorage(""), RETENTION.toSeconds() + "s", "0s");
		onKeepingPlatform = broker(keepingPlatform, keepingPlatform.libStorage(""), "0", "1h");
	}

	@AfterAll
	static void stop() {
		brokers.forEach(ConfigurableApplicationContext::close);
		if (libStorageProxy != null) {
			libStorageProxy.stop();
		}
		for (LocalPlatform running : new LocalPlatform[] { platform, keepingPlatform }) {
			if (running != null) {
				running.close();
			}
		}
	}

	@Test
	void withARetentionOf0TheDeprovisionDeletesTheVolumeAndItLeavesTheListing() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		deletesAtOnce.provision(instanceId);
		List<String> names = tombstoneOrRecord(platform, instanceId).volumeNames();
		// a name of this provision's own: never an earlier instance's osb-redis-<id>
		assertThat(names).singleElement()
			.satisfies((name) -> assertThat(name).startsWith("osb-redis-" + instanceId + "-"));
		assertThat(listed(platform)).containsAll(names);

		deletesAtOnce.deprovision(instanceId);

		assertThat(listed(platform)).doesNotContainAnyElementsOf(names);
		assertThat(tombstoneOrRecord(platform, instanceId).volumeState()).isEqualTo(VolumeState.DELETED);
	}

	@Test
	void aVolumeIsKeptUntilTheReconciliationAfterItsRetentionAndItsTombstoneUntilItIsDeleted() throws Exception {
		String instanceId = UUID.randomUUID().toString();
		retains.provision(instanceId);
		retains.deprovision(instanceId);
		InstanceRecord tombstone = tombstoneOrRecord(platform, instanceId);
		assertThat(tombstone.volumeState()).isEqualTo(VolumeState.RETAINED);
		Instant deleteAfter = tombstone.volumes().deleteAfter();
		assertThat(deleteAfter).isEqualTo(tombstone.removedAt().plus(RETENTION));
		assertThat(tombstone.volumes().note()).contains(deleteAfter.toString())
			.contains(tombstone.volumeNames().get(0));

		retains.reconcile();
		assertThat(Instant.now()).as("the reconciliation ran within the retention").isBefore(deleteAfter);
		assertThat(listed(platform)).containsAll(tombstone.volumeNames());
		// remembered for no time, and yet kept: its volume is not deleted yet
		assertThat(tombstoneOrRecord(platform, instanceId).volumeState()).isEqualTo(VolumeState.RETAINED);
		assertThat(retains.volumes("retained")).isPositive();

		await().atMost(RETENTION.plusSeconds(5)).until(() -> Instant.now().isAfter(deleteAfter));
		retains.reconcile();
		assertThat(listed(platform)).doesNotContainAnyElementsOf(tombstone.volumeNames());
		assertThat(tombstoneOrRecord(platform, instanceId).volumeState()).isEqualTo(VolumeState.DELETED);
		retains.reconcile();
		assertThat(platform.get(platform.consul("/v1/kv/osb-redis/instances/" + instanceId)).statusCode())
			.as("the tombstone is forgotten once its volume is gone")
			.isEqualTo(404);
	}

	@Test
	void libStorageAwayLeavesTheDeprovisionSucceededReportsTheVolumeAndALaterReconciliationDeletesIt()
			throws Exception {
		String instanceId = UUID.randomUUID().toString();
		deletesAtOnce.provision(instanceId);
		StubMapping outage = libStorageProxy.stubFor(WireMock.any(WireMock.anyUrl())
			.atPriority(1)
			.willReturn(WireMock.aResponse().withStatus(503).withBody("down for maintenance")));
		try {
			deletesAtOnce.deprovision(instanceId);
			InstanceRecord tombstone = tombstoneOrRecord(platform, instanceId);
			assertThat(tombstone.volumeState()).isEqualTo(VolumeState.FAILED);
			assertThat(tombstone.volumes().note()).contains(tombstone.volumeNames().get(0)).contains("503");
			deletesAtOnce.reconcile();
			assertThat(deletesAtOnce.volumes("failed")).isPositive();
			assertThat(listed(platform)).containsAll(tombstone.volumeNames());
		}
		finally {
			libStorageProxy.removeStub(outage);
		}
		deletesAtOnce.reconcile();
		InstanceRecord tombstone = tombstoneOrRecord(platform, instanceId);
		assertThat(tombstone.volumeState()).isEqualTo(VolumeState.DELETED);
		assertThat(listed(platform)).doesNotContainAnyElementsOf(tombstone.volumeNames());
	}

	@Test
	void aDeleteLibStorageClaimsButThatLeavesTheVolumeListedIsReportedAndKeepsTheIdFromANewProvision(
			CapturedOutput output) throws Exception {
		String instanceId = UUID.randomUUID().toString();
		onKeepingPlatform.provision(instanceId);
		onKeepingPlatform.deprovision(instanceId);

		InstanceRecord tombstone = tombstoneOrRecord(keepingPlatform, instanceId);
		assertThat(tombstone.volumeState()).isEqualTo(VolumeState.UNDELETABLE);
		assertThat(tombstone.volumes().note()).contains("still lists " + tombstone.volumeNames().get(0));
		assertThat(listed(keepingPlatform)).containsAll(tombstone.volumeNames());
		assertThat(output).contains("event=volume_undeletable instance_id=" + instanceId);
		onKeepingPlatform.reconcile();
		assertThat(onKeepingPlatform.volumes("undeletable")).isEqualTo(1);
		assertThat(tombstoneOrRecord(keepingPlatform, instanceId).volumeState()).isEqualTo(VolumeState.UNDELETABLE);

		// the tombstone must not be replaced while it holds the only trace of the volume
		ResponseEntity<JsonNode> again = onKeepingPlatform.api.call(HttpMethod.PUT,
				"/v2/service_instances/" + instanceId + "?accepts_incomplete=true", provisionBody());
		assertThat(again.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
		assertThat(again.getBody().path("description").asText()).contains(tombstone.volumeNames().get(0))
			.contains("another id");
	}

	private static List<String> listed(LocalPlatform on) throws Exception {
		JsonNode volumes = JSON.readTree(on.get(on.libStorage("/volumes/local")).body());
		assertThat(volumes.isObject()).as("libStorage's listing %s", volumes).isTrue();
		return volumes.findValuesAsText("name");
	}

	private static InstanceRecord tombstoneOrRecord(LocalPlatform on, String instanceId) throws Exception {
		String raw = on.get(on.consul("/v1/kv/osb-redis/instances/" + instanceId + "?raw")).body();
		return JSON.readValue(raw, InstanceRecord.class);
	}

	private static String provisionBody() {
		return "{\"service_id\":\"" + SERVICE_ID + "\",\"plan_id\":\"" + SMALL
				+ "\",\"organization_guid\":\"org-1\",\"space_guid\":\"space-1\"}";
	}

	private static Broker broker(LocalPlatform on, String libStorageUrl, String retention, String rememberRemoved) {
		// arguments, not default properties: application.yml sets the port from PORT
		ConfigurableApplicationContext context = InProcessBroker.start(on, VolumesLocalPlatformTests.class,
				"--BROKER_VOLUMES_URL=" + libStorageUrl, "--BROKER_VOLUMES_SERVICE=local",
				"--BROKER_VOLUMES_RETENTION=" + retention, "--broker.provision.remember-removed=" + rememberRemoved,
				"--broker.reconcile.interval=1h");
		brokers.add(context);
		return new Broker(InProcessBroker.api(context), context.getBean(Reconciliation.class));
	}

	/**
	 * One broker: its OSB API and its reconciliation, run by the tests rather than on a
	 * schedule.
	 */
	private record Broker(BrokerApi api, Reconciliation reconciliation) {

		void provision(String instanceId) {
			assertThat(this.api
				.call(HttpMethod.PUT, "/v2/service_instances/" + instanceId + "?accepts_incomplete=true",
						provisionBody())
				.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
			await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(lastOperation(instanceId, "")));
		}

		void deprovision(String instanceId) {
			assertThat(this.api
				.call(HttpMethod.DELETE,
						"/v2/service_instances/" + instanceId + "?service_id=" + SERVICE_ID + "&plan_id=" + SMALL
								+ "&accepts_incomplete=true",
						null)
				.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> "succeeded".equals(lastOperation(instanceId, "?operation=deprovision")));
		}

		String lastOperation(String instanceId, String query) {
			return this.api
				.call(HttpMethod.GET, "/v2/service_instances/" + instanceId + "/last_operation" + query, null)
				.getBody()
				.path("state")
				.asText();
		}

		void reconcile() {
			this.reconciliation.run(false);
		}

		double volumes(String state) {
			for (String line : this.api.text("/actuator/prometheus").split("\n")) {
				if (line.startsWith("broker_volumes{") && line.contains("state=\"" + state + "\"")) {
					return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
				}
			}
			throw new AssertionError("No broker_volumes{state=\"" + state + "\"} in /actuator/prometheus");
		}

	}

}
