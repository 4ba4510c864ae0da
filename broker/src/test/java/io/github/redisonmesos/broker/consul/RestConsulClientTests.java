package io.github.redisonmesos.broker.consul;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import io.github.redisonmesos.broker.component.Responses;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.remote.TlsProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException;
import org.springframework.web.client.RestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Consul adapter alone against Consul's recorded answers: paths, encoding, status
 * mapping, the token header and timeouts.
 */
class RestConsulClientTests {

	private final WireMockServer consul = new WireMockServer(
			WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private RestConsulClient client;

	@BeforeEach
	void start() {
		this.consul.start();
		this.client = client("");
	}

	@AfterEach
	void stop() {
		this.consul.stop();
	}

	private RestConsulClient client(String token) {
		ConsulProperties properties = new ConsulProperties(URI.create(this.consul.baseUrl()),
				URI.create("http://apps.example:8500"), "osb-redis", Duration.ofMillis(3000), token, "");
		return new RestConsulClient(properties, TlsProperties.NONE, null, RestClient.builder(), this.meters);
	}

	@Test
	void readsAnEntryDecodingItsValueAndIndex() {
		this.consul.stubFor(get(urlEqualTo("/v1/kv/osb-redis/instances/a"))
			.willReturn(Responses.json(200, "consul/kv_get.response.json")));
		KvEntry entry = this.client.get(key("osb-redis", "instances", "a")).orElseThrow();
		assertThat(entry.value()).isEqualTo("test");
		assertThat(entry.modifyIndex()).isEqualTo(200);
		assertThat(this.meters.get("broker.remote.calls")
			.tags("service", "consul", "call", "kv_get", "outcome", "success")
			.timer()
			.count()).isEqualTo(1);
	}

	@Test
	void aMissingKeyIsEmpty() {
		this.consul.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(404)));
		assertThat(this.client.get(key("osb-redis", "instances", "a"))).isEmpty();
	}

	@Test
	void everySegmentIsEncodedSoNoIdAddsASegmentAQueryOrAFragment() {
		this.consul.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(404)));
		this.client.get(key("osb-redis", "bindings", "i", "?recurse"));
		this.client.get(key("osb-redis", "bindings", "i", "a/b#c&d"));
		this.client.get(key("osb-redis", "bindings", "i", ".."));
		this.client.get(key("osb-redis", "bindings", "i", "%2F\u00e9"));
		assertThat(this.consul.getAllServeEvents()).extracting((event) -> event.getRequest().getUrl())
			.containsExactlyInAnyOrder("/v1/kv/osb-redis/bindings/i/%3Frecurse",
					"/v1/kv/osb-redis/bindings/i/a%2Fb%23c%26d", "/v1/kv/osb-redis/bindings/i/%2E%2E",
					"/v1/kv/osb-redis/bindings/i/%252F%C3%A9");
	}

	@Test
	void writesAreCheckAndSetAndReportWhetherTheyWon() {
		this.consul.stubFor(put(urlPathEqualTo("/v1/kv/osb-redis/instances/a")).withQueryParam("cas", equalTo("0"))
			.willReturn(Responses.json(200, "consul/kv.response.true.json")));
		this.consul.stubFor(put(urlPathEqualTo("/v1/kv/osb-redis/instances/a")).withQueryParam("cas", equalTo("7"))
			.willReturn(Responses.json(200, "consul/kv.response.false.json")));
		assertThat(this.client.put(key("osb-redis", "instances", "a"), "{}", 0)).isTrue();
		assertThat(this.client.put(key("osb-redis", "instances", "a"), "{}", 7)).isFalse();
	}

	@Test
	void deletesAreCheckAndSetAndAFolderIsDeletedWithItsTrailingSlash() {
		this.consul.stubFor(delete(anyUrl()).willReturn(Responses.json(200, "consul/kv.response.true.json")));
		assertThat(this.client.delete(key("osb-redis", "instances", "a"), 12)).isTrue();
		this.client.deleteFolder(key("osb-redis", "bindings", "a"));
		assertThat(this.consul.getAllServeEvents()).extracting((event) -> event.getRequest().getUrl())
			.containsExactlyInAnyOrder("/v1/kv/osb-redis/instances/a?cas=12", "/v1/kv/osb-redis/bindings/a/?recurse");
	}

	@Test
	void listsTheKeysOfAFolderButNotItsSubFolders() {
		this.consul.stubFor(get(urlEqualTo("/v1/kv/web/?keys&separator=/"))
			.willReturn(Responses.json(200, "consul/kv_get_keys.response.json")));
		// the fixture's keys carry a leading slash, as keys written as "/web/..." do
		this.consul.stubFor(
				get(urlEqualTo("/v1/kv/osb-redis/instances/?keys&separator=/")).willReturn(aResponse().withStatus(200)
					.withHeader("Content-Type", "application/json")
					.withBody("[\"osb-redis/instances/a\",\"osb-redis/instances/b\",\"osb-redis/instances/sub/\"]")));
		assertThat(this.client.keys(key("osb-redis", "instances"))).extracting(KvKey::name).containsExactly("a", "b");
		assertThat(this.client.keys(key("web"))).isEmpty();
	}

	@Test
	void healthListsPassingInstancesWithTheirAddressAndTags() {
		this.consul.stubFor(get(urlEqualTo("/v1/health/service/redis-a?passing"))
			.willReturn(Responses.json(200, "consul/health_service.response.json")));
		assertThat(this.client.instances("redis-a", true))
			.containsExactly(new ServiceInstance(new RedisEndpoint("10.1.10.12", 8000), List.of("primary")));
	}

	@Test
	void anInstanceWithoutAddressOrTagsHasTheNodeAddressAndNoTags() {
		// Consul answers an empty Address and "Tags": null for a service registered
		// without them
		this.consul.stubFor(get(urlEqualTo("/v1/health/service/redis-a")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody("[{\"Node\":{\"Address\":\"10.1.10.12\"},\"Service\":{\"Address\":\"\",\"Port\":8000,"
					+ "\"Tags\":null},\"Checks\":[]}]")));
		assertThat(this.client.instances("redis-a", false))
			.containsExactly(new ServiceInstance(new RedisEndpoint("10.1.10.12", 8000), List.of()));
	}

	@Test
	void aListingThatConsulsAclsFilteredIsABrokerErrorNamingThePermissionNotARetry() {
		// Consul's answer to a token without service:read on sntnl-a: 200, no entries,
		// and the header (agent/http.go setResultsFilteredByACLs, Consul 1.11+)
		this.consul.stubFor(get(urlEqualTo("/v1/health/service/sntnl-a?passing")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withHeader("X-Consul-Results-Filtered-By-ACLs", "true")
			.withBody("[]")));
		assertThatExceptionOfType(ConsulAclFilteredException.class)
			.isThrownBy(() -> client("secret-token-1").instances("sntnl-a", true))
			.isInstanceOf(ServiceBrokerException.class)
			.isNotInstanceOf(ServiceBrokerUnavailableException.class)
			.withMessage("Consul filtered service sntnl-a out of its answer (X-Consul-Results-Filtered-By-ACLs): "
					+ "CONSUL_TOKEN needs service:read on \"sntnl-a\" and node:read on the nodes it runs on "
					+ "(manifests/consul/broker-policy.hcl: service_prefix \"sntnl-\" and node_prefix \"\" with "
					+ "policy \"read\"); retrying will not help until the token's policy grants them.");
	}

	@Test
	void aListingThatStillHoldsEntriesFailsAsWellWhenTheAclsHidOthers() {
		// a node without node:read hides its instance only: what is left is not the
		// whole service, and waiting for the rest would last until the timeout
		this.consul.stubFor(get(urlEqualTo("/v1/health/service/redis-a?passing"))
			.willReturn(Responses.json(200, "consul/health_service.response.json")
				.withHeader("X-Consul-Results-Filtered-By-ACLs", "true")));
		assertThatExceptionOfType(ConsulAclFilteredException.class)
			.isThrownBy(() -> this.client.instances("redis-a", true))
			.withMessageContaining("service:read on \"redis-a\" and node:read")
			.withMessageContaining("service_prefix \"redis-\"");
	}

	@Test
	void anEmptyListingWithoutTheHeaderIsNoInstancesYet() {
		this.consul.stubFor(get(urlEqualTo("/v1/health/service/sntnl-a?passing"))
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("[]")));
		assertThat(this.client.instances("sntnl-a", true)).isEmpty();
	}

	@Test
	void theTokenGoesInTheHeaderOnEveryCallNeverInTheUrl() {
		this.consul.stubFor(get(anyUrl()).willReturn(Responses.json(200, "consul/agent_self.response.derived.json")));
		RestConsulClient withToken = client("broker-token-1");
		assertThat(withToken.datacenter()).isEqualTo("dc1");
		withToken.instances("redis-a", true);
		this.consul.verify(2, getRequestedFor(anyUrl()).withHeader("X-Consul-Token", equalTo("broker-token-1")));
		assertThat(this.consul.getAllServeEvents()).noneMatch((event) -> event.getRequest().getUrl().contains("token"));
	}

	@Test
	void aRefusedTokenIsABrokerErrorNamingTheVariableNotARetry() {
		this.consul.stubFor(get(anyUrl()).willReturn(Responses.text(403, "consul/error.403.acl-not-found.txt")));
		assertThatExceptionOfType(ServiceBrokerException.class)
			.isThrownBy(() -> client("secret-token-1").get(key("osb-redis", "instances", "a")))
			.isNotInstanceOf(ServiceBrokerUnavailableException.class)
			.withMessageContaining("answered 403 (ACL not found)")
			.withMessageContaining("CONSUL_TOKEN")
			.withMessageContaining("retrying will not help")
			.withMessageNotContaining("secret-token-1");
	}

	@Test
	void aServerErrorOrAnUnreachableConsulIsA503NamingConsulAndItsUrl() {
		this.consul.stubFor(put(anyUrl()).willReturn(aResponse().withStatus(500).withBody("rpc error")));
		assertThatExceptionOfType(ServiceBrokerUnavailableException.class)
			.isThrownBy(() -> this.client.put(key("osb-redis", "instances", "a"), "{}", 0))
			.withMessageContaining("Consul at " + this.consul.baseUrl() + " answered 500");
		this.consul.stubFor(get(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		assertThatExceptionOfType(ServiceBrokerUnavailableException.class)
			.isThrownBy(() -> this.client.get(key("osb-redis", "instances", "a")))
			.withMessageContaining("unreachable")
			.withMessageContaining("CONSUL_URL");
	}

	@Test
	void aConsulThatDoesNotAnswerInTimeIsA503() {
		this.consul
			.stubFor(get(anyUrl()).willReturn(Responses.json(200, "consul/kv_get.response.json").withFixedDelay(4000)));
		assertThatExceptionOfType(ServiceBrokerUnavailableException.class)
			.isThrownBy(() -> this.client.get(key("osb-redis", "instances", "a")))
			.withMessageContaining("unreachable");
		assertThat(this.meters.get("broker.remote.calls").tag("outcome", "unreachable").timer().count()).isEqualTo(1);
	}

	private static KvKey key(String... segments) {
		return KvKey.of(List.of(segments));
	}

}
