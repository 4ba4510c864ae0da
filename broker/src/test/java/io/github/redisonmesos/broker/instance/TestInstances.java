package io.github.redisonmesos.broker.instance;

import java.net.URI;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.consul.ConsulClient;
import io.github.redisonmesos.broker.consul.ConsulProperties;
import io.github.redisonmesos.broker.consul.KvRecords;
import io.github.redisonmesos.broker.consul.TestKvRecords;

import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/**
 * Builds instance-package collaborators for tests in other packages.
 */
public final class TestInstances {

	public static final ObjectMapper OBJECT_MAPPER = Jackson2ObjectMapperBuilder.json().build();

	private TestInstances() {
	}

	public static ConsulProperties consulProperties() {
		return consulProperties("");
	}

	/** Consul settings with {@code CONSUL_APP_TOKEN} set to the given value. */
	public static ConsulProperties consulProperties(String appToken) {
		return new ConsulProperties(URI.create("http://127.0.0.1:8500"), URI.create("http://consul.example:8500"),
				"osb-redis", Duration.ofSeconds(1), "", appToken);
	}

	public static KvRecords kvRecords(ConsulClient consul) {
		return TestKvRecords.create(consul, consulProperties(), OBJECT_MAPPER);
	}

	public static InstanceRepository repository(ConsulClient consul) {
		return new InstanceRepository(kvRecords(consul));
	}

	/** Store an instance record whose provision has succeeded. */
	public static void provisioned(ConsulClient consul, String instanceId, String planId, String password) {
		store(consul, instanceId, planId, password, Operation.State.SUCCEEDED);
	}

	/** Store an instance record whose provision is still running. */
	public static void provisioning(ConsulClient consul, String instanceId, String planId, String password) {
		store(consul, instanceId, planId, password, Operation.State.IN_PROGRESS);
	}

	/** Store an instance record whose provision failed. */
	public static void provisionFailed(ConsulClient consul, String instanceId, String planId, String password) {
		store(consul, instanceId, planId, password, Operation.State.FAILED);
	}

	private static void store(ConsulClient consul, String instanceId, String planId, String password,
			Operation.State state) {
		InstanceRecord record = new InstanceRecord(instanceId, "67501925-8bc8-47c3-955c-c1afc8891669", planId, null,
				null, null, 1, password,
				new Operation(Operation.Type.PROVISION, state, java.time.Instant.parse("2026-01-01T00:00:00Z"), ""));
		repository(consul).create(record);
	}

}
