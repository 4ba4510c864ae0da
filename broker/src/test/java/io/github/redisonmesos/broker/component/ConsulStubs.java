package io.github.redisonmesos.broker.component;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * Consul as the broker sees it, one intention per method; bodies from contract-fixtures
 * (contract/consul), KV reads in the shape of fixtures/consul/kv_get.response.json.
 */
class ConsulStubs {

	private final StubRegistry stubs;

	private final AtomicLong modifyIndex = new AtomicLong(200);

	ConsulStubs(StubRegistry stubs) {
		this.stubs = stubs;
	}

	void keyIsAbsent(String key) {
		this.stubs.require(get(urlPathEqualTo("/v1/kv/" + key)).willReturn(aResponse().withStatus(404)));
		this.stubs.allow(put(urlPathEqualTo("/v1/kv/" + key)).withQueryParam("cas", equalTo("0"))
			.atPriority(1)
			.willReturn(json(200, "consul/kv.response.true.json")));
	}

	void acceptsWrites() {
		this.stubs.require(put(urlPathMatching("/v1/kv/.*")).willReturn(json(200, "consul/kv.response.true.json")));
	}

	void acceptsDeletes() {
		this.stubs.require(delete(urlPathMatching("/v1/kv/.*")).willReturn(json(200, "consul/kv.response.true.json")));
	}

	/** Another broker created the key first: Consul answers {@code false} to cas=0. */
	void createLosesTheRace(String key) {
		this.stubs.require(put(urlPathEqualTo("/v1/kv/" + key)).withQueryParam("cas", equalTo("0"))
			.atPriority(1)
			.willReturn(json(200, "consul/kv.response.false.json")));
	}

	/** The key holds the value of the broker's last write to it. */
	void keyHoldsWhatTheBrokerWrote(String key) {
		keyHolds(key, lastWrite(key));
	}

	void keyHolds(String key, String value) {
		String entry = "[{\"LockIndex\":0,\"Key\":\"" + key + "\",\"Flags\":0,\"Value\":\""
				+ Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))
				+ "\",\"CreateIndex\":100,\"ModifyIndex\":" + this.modifyIndex.incrementAndGet() + "}]";
		this.stubs.require(get(urlPathEqualTo("/v1/kv/" + key))
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(entry)));
		// as in Consul, cas=0 on a key that exists does not write
		this.stubs.allow(put(urlPathEqualTo("/v1/kv/" + key)).withQueryParam("cas", equalTo("0"))
			.atPriority(1)
			.willReturn(json(200, "consul/kv.response.false.json")));
	}

	/** cas=0 on the key wins, whatever a read of the key shows. */
	void createWins(String key) {
		this.stubs.require(put(urlPathEqualTo("/v1/kv/" + key)).withQueryParam("cas", equalTo("0"))
			.atPriority(1)
			.willReturn(json(200, "consul/kv.response.true.json")));
	}

	void writesFailWithConnectionReset() {
		this.stubs.require(put(urlPathMatching("/v1/kv/.*")).atPriority(1)
			.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
	}

	void readsFailWithConnectionReset() {
		this.stubs.require(get(urlPathMatching("/v1/kv/.*")).atPriority(1)
			.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
	}

	/** Consul does not know the token the broker sent (or sent none where ACLs deny). */
	void readsAreDeniedAsAclNotFound() {
		this.stubs.require(get(urlPathMatching("/v1/kv/.*")).atPriority(1)
			.willReturn(text(403, "consul/error.403.acl-not-found.txt")));
	}

	/** The broker's token is known but its policy does not allow KV writes. */
	void writesAreDeniedAsPermissionDenied() {
		this.stubs.require(put(urlPathMatching("/v1/kv/.*")).atPriority(1)
			.willReturn(text(403, "consul/error.403.permission-denied.txt")));
	}

	void serviceIsPassing(String service) {
		this.stubs
			.require(get(urlPathEqualTo("/v1/health/service/" + service)).withQueryParam("passing", matching(".*"))
				.willReturn(json(200, "consul/health_service.response.json")));
	}

	void serviceHasNoInstances(String service) {
		this.stubs.require(get(urlPathEqualTo("/v1/health/service/" + service))
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("[]")));
	}

	void agentIsInDatacenterDc1() {
		this.stubs.require(
				get(urlPathEqualTo("/v1/agent/self")).willReturn(json(200, "consul/agent_self.response.derived.json")));
	}

	List<LoggedRequest> writes(String key) {
		return this.stubs.server().findAll(putRequestedFor(urlPathEqualTo("/v1/kv/" + key)));
	}

	/** The value of the last write to the key that Consul accepted. */
	String lastWrite(String key) {
		// WireMock lists served requests newest first
		return this.stubs.server()
			.getAllServeEvents()
			.stream()
			.filter((event) -> event.getRequest().getMethod().getName().equals("PUT")
					&& event.getRequest().getUrl().startsWith("/v1/kv/" + key + "?")
					&& event.getResponse().getBodyAsString().trim().equals("true"))
			.findFirst()
			.map((event) -> event.getRequest().getBodyAsString())
			.orElseThrow(() -> new IllegalStateException("Consul accepted no write to " + key));
	}

	// Consul answers ACL errors in plain text
	private static ResponseDefinitionBuilder text(int status, String body) {
		return aResponse().withStatus(status)
			.withHeader("Content-Type", "text/plain; charset=utf-8")
			.withBody(StubRegistry.body(body));
	}

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withBody(StubRegistry.body(body));
	}

}
