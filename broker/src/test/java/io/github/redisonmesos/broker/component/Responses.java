package io.github.redisonmesos.broker.component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/**
 * WireMock answers from the recorded upstream bodies of the contract-fixtures module
 * ({@code contract/}, sources in contract-fixtures/README.md).
 */
public final class Responses {

	private Responses() {
	}

	/** A JSON answer with a recorded body. */
	public static ResponseDefinitionBuilder json(int status, String resource) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body(resource));
	}

	/** A plain-text answer with a recorded body, as Consul's ACL errors. */
	public static ResponseDefinitionBuilder text(int status, String resource) {
		return aResponse().withStatus(status)
			.withHeader("Content-Type", "text/plain; charset=utf-8")
			.withBody(body(resource));
	}

	/** A recorded body. */
	public static String body(String resource) {
		try (InputStream in = Responses.class.getResourceAsStream("/contract/" + resource)) {
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
