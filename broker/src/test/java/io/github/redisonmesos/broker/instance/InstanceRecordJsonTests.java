package io.github.redisonmesos.broker.instance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instance records live in Consul KV as JSON: records written by earlier versions read
 * back, and a record is written in the same shape, whatever the record's Java type looks
 * like. The JSON here is as the broker wrote it before single and HA instances had a type
 * of their own ({@code "ha": null} for a single Redis).
 */
class InstanceRecordJsonTests {

	// as the broker's ObjectMapper (Boot's defaults): ISO instants
	private static final ObjectMapper JSON = Jackson2ObjectMapperBuilder.json()
		.featuresToDisable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
		.build();

	private static final String SINGLE = """
			{"instanceId":"i-1","serviceId":"s-1","planId":"small","organizationGuid":"o-1","spaceGuid":"sp-1",\
			"parameters":{"maxmemory-policy":"allkeys-lru"},"volumeGb":1,"adminPassword":"v1.k1.c2VhbGVk",\
			"operation":{"type":"PROVISION","state":"SUCCEEDED","startedAt":"2026-01-02T03:04:05Z",\
			"description":"Redis is running"},"removedAt":null,"port":31001,"ha":null,\
			"volumes":{"names":["osb-redis-i-1-t1"],"state":"IN_USE","deleteAfter":null,"note":null}}""";

	private static final String HA = """
			{"instanceId":"i-2","serviceId":"s-1","planId":"ha","organizationGuid":"o-1","spaceGuid":"sp-1",\
			"parameters":{},"volumeGb":1,"adminPassword":"v1.k1.YWRtaW4",\
			"operation":{"type":"UPDATE","state":"IN_PROGRESS","startedAt":"2026-01-02T03:04:05Z",\
			"description":"rolling update"},"removedAt":null,"port":0,\
			"ha":{"replicationPassword":"v1.k1.cmVwbA","sentinelPassword":"v1.k1.c2VudA",\
			"ports":[31002,31003,31004,31005,31006,31007],"nodes":3},\
			"volumes":{"names":["osb-redis-i-2-t2-node-0","osb-redis-i-2-t2-node-1","osb-redis-i-2-t2-node-2"],\
			"state":"IN_USE","deleteAfter":null,"note":null}}""";

	// written before HA instances and volumes were recorded: no such keys at all
	private static final String BEFORE_HA = """
			{"instanceId":"i-3","serviceId":"s-1","planId":"small","organizationGuid":"o-1","spaceGuid":"sp-1",\
			"parameters":null,"volumeGb":1,"adminPassword":"v1.k1.b2xk",\
			"operation":{"type":"PROVISION","state":"SUCCEEDED","startedAt":"2025-01-02T03:04:05Z",\
			"description":null},"removedAt":null}""";

	@Test
	void aSingleRedisRecordReadsBackAsASingleRedisAndIsWrittenTheSame() throws Exception {
		InstanceRecord record = JSON.readValue(SINGLE, InstanceRecord.class);
		assertThat(record.topology()).isInstanceOf(InstanceRecord.Single.class);
		assertThat(record.nodes()).isEqualTo(1);
		assertThat(record.ports()).containsExactly(31001);
		assertThat(written(record)).isEqualTo(JSON.readTree(SINGLE));
	}

	@Test
	void anHaRecordReadsBackWithItsNodesAndIsWrittenTheSame() throws Exception {
		InstanceRecord record = JSON.readValue(HA, InstanceRecord.class);
		assertThat(record.topology()).isInstanceOf(InstanceRecord.Ha.class);
		assertThat(record.nodes()).isEqualTo(3);
		assertThat(record.ports()).containsExactly(31002, 31003, 31004, 31005, 31006, 31007);
		assertThat(written(record)).isEqualTo(JSON.readTree(HA));
	}

	@Test
	void aRecordWrittenBeforeHaInstancesReadsBackAsASingleRedis() throws Exception {
		InstanceRecord record = JSON.readValue(BEFORE_HA, InstanceRecord.class);
		assertThat(record.topology()).isInstanceOf(InstanceRecord.Single.class);
		assertThat(record.ports()).isEmpty();
		assertThat(record.volumeNames()).containsExactly("osb-redis-i-3");
		assertThat(JSON.readTree(JSON.writeValueAsString(record)).path("ha").isNull()).isTrue();
	}

	@Test
	void aTlsPortBesideThePlainOneIsWrittenOnlyWhenClaimedAndHeldWithIt() throws Exception {
		InstanceRecord record = JSON.readValue(SINGLE, InstanceRecord.class);
		assertThat(record.tlsPort()).isZero();
		assertThat(JSON.readTree(JSON.writeValueAsString(record)).has("tlsPort")).isFalse();

		InstanceRecord optional = record.withTlsPort(31009);
		InstanceRecord read = JSON.readValue(JSON.writeValueAsString(optional), InstanceRecord.class);
		assertThat(read.tlsPort()).isEqualTo(31009);
		assertThat(read.ports()).containsExactly(31001, 31009);
		assertThat(read.withOperation(record.operation()).withParameters(record.parameters()).tlsPort())
			.isEqualTo(31009);
	}

	// as written now, but for the maintenance version (issue 27), which records written
	// before it lack: they read back without one
	private static JsonNode written(InstanceRecord record) throws Exception {
		ObjectNode json = (ObjectNode) JSON.readTree(JSON.writeValueAsString(record));
		assertThat(json.path("maintenanceVersion").isNull()).isTrue();
		json.remove("maintenanceVersion");
		return json;
	}

}
