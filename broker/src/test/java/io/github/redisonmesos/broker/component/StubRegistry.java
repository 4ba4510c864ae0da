package io.github.redisonmesos.broker.component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One WireMock server on 127.0.0.1 and a free port, which remembers the stubs a test
 * requires so that an unused one fails the test.
 */
class StubRegistry {

	private final WireMockServer server = new WireMockServer(
			WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());

	private final List<StubMapping> required = new ArrayList<>();

	void start() {
		this.server.start();
	}

	void stop() {
		this.server.stop();
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.server.port();
	}

	WireMockServer server() {
		return this.server;
	}

	void reset() {
		this.server.resetAll();
		this.required.clear();
	}

	/** A stub a test may or may not reach. */
	void allow(MappingBuilder stub) {
		this.server.stubFor(stub);
	}

	void require(MappingBuilder stub) {
		this.required.add(this.server.stubFor(stub));
	}

	/** Requests in the order they arrived. */
	List<ServeEvent> served() {
		List<ServeEvent> events = new ArrayList<>(this.server.getAllServeEvents());
		java.util.Collections.reverse(events);
		return events;
	}

	void assertEveryRequiredStubWasUsed() {
		Set<UUID> used = this.server.getAllServeEvents()
			.stream()
			.filter((event) -> event.getStubMapping() != null)
			.map((event) -> event.getStubMapping().getId())
			.collect(Collectors.toSet());
		List<String> unused = this.required.stream()
			.filter((stub) -> !used.contains(stub.getId()))
			.map((stub) -> stub.getRequest().toString() + " -> " + stub.getResponse().getBody())
			.toList();
		assertThat(unused).as("required stubs that no request used").isEmpty();
	}

	static String body(String resource) {
		try (InputStream in = StubRegistry.class.getResourceAsStream("/contract/" + resource)) {
			if (in == null) {
				throw new IllegalArgumentException("No contract fixture contract/" + resource);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
