package io.github.redisonmesos.counter.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * Consul's {@code GET /v1/health/service/<name>} answered by WireMock with the upstream
 * fixture's body ({@code contract/consul/health_service.response.json} in
 * contract-fixtures), pointed at a local Redis.
 */
public final class ConsulStubs {

	/**
	 * Where Consul reads the ACL token from (the {@code token} query parameter is the
	 * other way).
	 */
	public static final String TOKEN_HEADER = "X-Consul-Token";

	private static final ObjectMapper mapper = new ObjectMapper();

	private final WireMockServer consul;

	public ConsulStubs(WireMockServer consul) {
		this.consul = consul;
	}

	public static String fixture() {
		try (InputStream in = ConsulStubs.class.getResourceAsStream("/contract/consul/health_service.response.json")) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The fixture with its one instance moved to {@code address:port}.
	 * @param address the {@code Service.Address}, empty to fall back to the node's
	 * @param port the {@code Service.Port}
	 * @return the JSON body
	 */
	public static String passingBody(String address, int port) {
		try {
			ArrayNode body = (ArrayNode) mapper.readTree(fixture());
			ObjectNode service = (ObjectNode) body.get(0).get("Service");
			service.put("Address", address);
			service.put("Port", port);
			return mapper.writeValueAsString(body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The fixture's one instance repeated once per port, each on 127.0.0.1 with its own
	 * service id, as marathon-consul registers the Sentinel ports of an {@code ha}
	 * instance's nodes.
	 * @param ports the instances' ports
	 * @return the JSON body
	 */
	public static String passingBody(List<Integer> ports) {
		try {
			ArrayNode fixture = (ArrayNode) mapper.readTree(fixture());
			ArrayNode body = mapper.createArrayNode();
			for (int port : ports) {
				ObjectNode entry = fixture.get(0).deepCopy();
				ObjectNode service = (ObjectNode) entry.get("Service");
				service.put("ID", service.get("ID").asText() + "-" + port);
				service.put("Address", "127.0.0.1");
				service.put("Port", port);
				body.add(entry);
			}
			return mapper.writeValueAsString(body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public void stubPassingInstances(String service, List<Integer> ports, long index) {
		stubAnswer(service, passingBody(ports), index);
	}

	public void stubPassingInstance(String service, String address, int port, long index) {
		stubAnswer(service, passingBody(address, port), index);
	}

	public void stubNoPassingInstance(String service, long index) {
		stubAnswer(service, "[]", index);
	}

	/**
	 * Consul lists the instance at once for plain reads, while blocking queries (the
	 * watch's) hang for {@code delay} first: the watch learns of the move late.
	 * @param service the service name
	 * @param address the instance address
	 * @param port the instance port
	 * @param index the new index
	 * @param delay how long blocking queries hang
	 */
	public void stubPassingInstanceSeenLateByWatch(String service, String address, int port, long index,
			Duration delay) {
		this.consul.stubFor(get(urlPathEqualTo("/v1/health/service/" + service)).withQueryParam("index", absent())
			.atPriority(1)
			.willReturn(answer(passingBody(address, port), index)));
		this.consul.stubFor(get(urlPathEqualTo("/v1/health/service/" + service)).atPriority(2)
			.willReturn(answer(passingBody(address, port), index).withFixedDelay((int) delay.toMillis())));
	}

	public void stubConsulUnreachable(String service) {
		this.consul.stubFor(get(urlPathEqualTo("/v1/health/service/" + service))
			.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
	}

	/**
	 * Consul with ACLs enabled and a token it does not know: 403 and the body Consul
	 * sends.
	 * @param service the service name
	 */
	public void stubTokenRefused(String service) {
		this.consul.stubFor(get(urlPathEqualTo("/v1/health/service/" + service))
			.willReturn(aResponse().withStatus(403).withBody("ACL not found")));
	}

	/**
	 * Consul with ACLs on and a token whose policy lacks service:read on the service (or
	 * node:read on its nodes): 200 with every entry removed, said only in the header
	 * Consul 1.11+ sets then (agent/http.go setResultsFilteredByACLs).
	 * @param service the service name
	 * @param index the index
	 */
	public void stubHiddenByAcls(String service, long index) {
		this.consul.stubFor(get(urlPathEqualTo("/v1/health/service/" + service))
			.willReturn(answer("[]", index).withHeader("X-Consul-Results-Filtered-By-ACLs", "true")));
	}

	private void stubAnswer(String service, String body, long index) {
		this.consul.stubFor(get(urlPathEqualTo("/v1/health/service/" + service)).willReturn(answer(body, index)));
	}

	private static ResponseDefinitionBuilder answer(String body, long index) {
		return aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withHeader("X-Consul-Index", String.valueOf(index))
			.withHeader("X-Consul-KnownLeader", "true")
			.withHeader("X-Consul-LastContact", "0")
			.withBody(body);
	}

}
