package io.github.redisonmesos.localplatform;

import java.net.http.HttpResponse;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.redisonmesos.localplatform.JsonShapes.assertSameShape;
import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static io.github.redisonmesos.localplatform.RunningPlatform.resource;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Consul API accepts the recorded upstream requests and answers in the shapes of the
 * recorded responses in {@code src/test/resources/fixtures/consul}.
 */
class ConsulContractTests {

	@RegisterExtension
	static final PlatformExtension platform = PlatformExtension.perClass();

	@Test
	void upstreamRegisterRequestIsAcceptedAndCatalogAndHealthAnswerInUpstreamShapes() {
		HttpResponse<String> registered = platform.consul("PUT", "/v1/catalog/register",
				resource("fixtures/consul/catalog_register.request.json").toString());
		assertThat(registered.body()).isEqualTo("true");

		HttpResponse<String> catalog = platform.consul("GET", "/v1/catalog/service/redis", null);
		assertThat(catalog.headers().firstValue("X-Consul-Index")).isPresent();
		// Meta keys are data of the sample, not part of the shape.
		assertSameShape(resource("fixtures/consul/catalog_service.response.json"), json(catalog),
				Set.of("ServiceMeta.web_meta_value"));
		assertThat(json(catalog).get(0).get("ServiceAddress").asText()).isEqualTo("127.0.0.1");
		assertThat(json(catalog).get(0).get("Address").asText()).isEqualTo("192.168.10.10");

		HttpResponse<String> health = platform.consul("GET", "/v1/health/service/redis?passing", null);
		assertSameShape(resource("fixtures/consul/health_service.response.json"), json(health),
				Set.of("Node.Meta.instance_type"));
		assertThat(json(health).get(0).get("Service").get("Port").asInt()).isEqualTo(8000);

		assertSameShape(resource("fixtures/consul/catalog_services.response.json"),
				json(platform.consul("GET", "/v1/catalog/services", null)), Set.of("consul", "postgresql"));
		assertThat(json(platform.consul("GET", "/v1/catalog/services", null)).get("redis").toString())
			.isEqualTo("[\"primary\",\"v1\"]");

		HttpResponse<String> deregistered = platform.consul("PUT", "/v1/catalog/deregister",
				resource("fixtures/consul/catalog_deregister.request.service.json").toString());
		assertThat(deregistered.body()).isEqualTo("true");
		assertThat(platform.consul("GET", "/v1/catalog/service/redis", null).body()).isEqualTo("[]");
	}

	@Test
	void criticalInstancesAreLeftOutOfPassingQueries() {
		String body = """
				{"Node": "n1", "Address": "127.0.0.1",
				 "Service": {"ID": "sick1", "Service": "sick", "Port": 1234},
				 "Check": {"CheckID": "service:sick1", "Name": "c", "Status": "critical", "ServiceID": "sick1"}}
				""";
		platform.consul("PUT", "/v1/catalog/register", body);
		assertThat(json(platform.consul("GET", "/v1/health/service/sick", null))).hasSize(1);
		assertThat(json(platform.consul("GET", "/v1/health/service/sick?passing", null))).isEmpty();
		assertThat(json(platform.consul("GET", "/v1/health/service/sick?passing=false", null))).hasSize(1);
	}

	@Test
	void agentSelfStatusAndKvAnswerInUpstreamShapes() {
		JsonNode self = json(platform.consul("GET", "/v1/agent/self", null));
		assertSameShape(resource("fixtures/consul/agent_self.response.derived.json"), self,
				Set.of("Member.ProtocolMin", "Member.ProtocolMax", "Member.ProtocolCur", "Member.DelegateMin",
						"Member.DelegateMax", "Member.DelegateCur", "Member.Tags.bootstrap", "Member.Tags.id",
						"Member.Tags.vsn", "Member.Tags.vsn_max", "Member.Tags.vsn_min", "Meta.instance_type",
						"Meta.os_version"));
		assertThat(self.get("Config").get("Datacenter").asText()).isEqualTo("dc1");

		assertSameShape(resource("fixtures/consul/status_leader.response.json"),
				json(platform.consul("GET", "/v1/status/leader", null)), Set.of());

		platform.consul("PUT", "/v1/kv/zip", "test");
		// Session appears only on keys held by a lock.
		assertSameShape(resource("fixtures/consul/kv_get.response.json"),
				json(platform.consul("GET", "/v1/kv/zip", null)), Set.of("Session"));
		assertThat(json(platform.consul("GET", "/v1/kv/zip", null)).get(0).get("Value").asText()).isEqualTo("dGVzdA==");
	}

	@Test
	void malformedRegistrationAnswers400InPlainText() {
		HttpResponse<String> response = platform.consul("PUT", "/v1/catalog/register", "{not json");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).startsWith("Request decode failed");
		HttpResponse<String> badWait = platform.consul("GET", "/v1/kv/zip?index=5&wait=soon", null);
		assertThat(badWait.statusCode()).isEqualTo(400);
	}

}
