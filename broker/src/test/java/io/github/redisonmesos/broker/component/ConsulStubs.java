package io.github.redisonmesos.broker.component;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * Consul as the broker sees it, one intention per method; bodies from contract-fixtures
 * (contract/consul), KV from {@link ConsulKvStore}.
 */
class ConsulStubs {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final StubRegistry stubs;

	private final ConsulKvStore kv;

	ConsulStubs(StubRegistry stubs, ConsulKvStore kv) {
		this.stubs = stubs;
		this.kv = kv;
	}

	/** KV keeps what is written, as Consul does. */
	void kvIsAStore() {
		this.stubs
			.allow(any(urlPathMatching("/v1/kv/.*")).willReturn(aResponse().withTransformers(ConsulKvStore.NAME)));
	}

	void writesFailWithConnectionReset() {
		this.stubs.require(put(urlPathMatching("/v1/kv/.*")).atPriority(1)
			.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
	}

	/** Consul does not know the token the broker sent (or sent none where ACLs deny). */
	void readsAreDeniedAsAclNotFound() {
		this.stubs.require(get(urlPathMatching("/v1/kv/.*")).atPriority(1)
			.willReturn(Responses.text(403, "consul/error.403.acl-not-found.txt")));
	}

	/** The broker's token is known but its policy does not allow KV writes. */
	void writesAreDeniedAsPermissionDenied() {
		this.stubs.require(put(urlPathMatching("/v1/kv/.*")).atPriority(1)
			.willReturn(Responses.text(403, "consul/error.403.permission-denied.txt")));
	}

	/** The recorded passing instance, moved to where a test's Redis listens. */
	void serviceIsPassingAt(String service, String host, int port) {
		ObjectNode entry = (ObjectNode) read("consul/health_service.response.json").get(0);
		((ObjectNode) entry.path("Service")).put("Service", service).put("Address", host).put("Port", port);
		this.stubs.allow(get(urlPathEqualTo("/v1/health/service/" + service)).atPriority(2)
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody(JSON.createArrayNode().add(entry).toString())));
	}

	void serviceHasNoInstances(String service) {
		this.stubs.allow(get(urlPathEqualTo("/v1/health/service/" + service)).atPriority(1)
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("[]")));
	}

	/**
	 * The broker's token lacks service:read on the service (or node:read on its nodes):
	 * Consul answers 200 without the entries its ACLs hid, here all of them, and says so
	 * only in a header (Consul 1.11+, agent/http.go setResultsFilteredByACLs; the body is
	 * the fixtures' empty listing, as for {@link #serviceHasNoInstances}).
	 */
	void serviceIsFilteredOutByAcls(String service) {
		this.stubs.require(get(urlPathEqualTo("/v1/health/service/" + service)).atPriority(1)
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withHeader("X-Consul-Results-Filtered-By-ACLs", "true")
				.withBody("[]")));
	}

	void agentIsInDatacenterDc1() {
		this.stubs.allow(get(urlPathEqualTo("/v1/agent/self"))
			.willReturn(Responses.json(200, "consul/agent_self.response.derived.json")));
	}

	void isUnreachable() {
		this.stubs
			.require(any(anyUrl()).atPriority(1).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
	}

	/** Every KV key and its value. */
	Map<String, String> kv() {
		return this.kv.values();
	}

	/** Store a value, as another broker (or a hostile writer) would. */
	void kvHolds(String key, String value) {
		this.kv.put(key, value);
	}

	List<LoggedRequest> requests() {
		return this.stubs.server().findAll(anyRequestedFor(urlPathMatching("/.*")));
	}

	List<LoggedRequest> requestsWithToken(String token) {
		return this.stubs.server()
			.findAll(anyRequestedFor(urlPathMatching("/.*")).withHeader("X-Consul-Token", matching(token)));
	}

	private static JsonNode read(String resource) {
		try {
			return JSON.readTree(Responses.body(resource));
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
