package io.github.redisonmesos.broker.component;

import java.net.URI;

import com.fasterxml.jackson.databind.JsonNode;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * The platform's side of the OSB API: basic auth and the API version header by default,
 * every status returned rather than thrown.
 */
class BrokerApi {

	static final String USERNAME = "cf-platform";

	static final String PASSWORD = "broker-test-password";

	private final RestClient client;

	private final String base;

	BrokerApi(int port) {
		this.base = "http://127.0.0.1:" + port;
		// the JDK client speaks PATCH, which HttpURLConnection does not
		this.client = RestClient.builder()
			.requestFactory(new JdkClientHttpRequestFactory())
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
	}

	ResponseEntity<JsonNode> call(HttpMethod method, String path, String body) {
		return call(method, path, body, "2.16", true);
	}

	ResponseEntity<JsonNode> call(HttpMethod method, String path, String body, String apiVersion,
			boolean authenticated) {
		// the path goes out exactly as written, so that tests can send hostile encodings
		RestClient.RequestBodySpec request = this.client.method(method)
			.uri(URI.create(this.base + path))
			.headers((headers) -> {
				if (apiVersion != null) {
					headers.set("X-Broker-API-Version", apiVersion);
				}
				if (authenticated) {
					headers.setBasicAuth(USERNAME, PASSWORD);
				}
				// cloudfoundry {"user_id":"683ea748-3092-4ff4-b656-39cacc4d5360"}
				headers.set("X-Broker-API-Originating-Identity",
						"cloudfoundry eyJ1c2VyX2lkIjoiNjgzZWE3NDgtMzA5Mi00ZmY0LWI2NTYtMzljYWNjNGQ1MzYwIn0=");
			});
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		ResponseEntity<JsonNode> response = request.retrieve().toEntity(JsonNode.class);
		return response;
	}

	/**
	 * A text endpoint read with the broker's credentials, such as /actuator/prometheus.
	 */
	String text(String path) {
		return this.client.get()
			.uri(URI.create(this.base + path))
			.headers((headers) -> headers.setBasicAuth(USERNAME, PASSWORD))
			.retrieve()
			.body(String.class);
	}

}
