package io.github.redisonmesos.broker.libstorage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import io.github.redisonmesos.broker.instance.volumes.VolumesProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException;
import org.springframework.web.client.RestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The libStorage adapter against the answers of {@code libstorage.apib}
 * ({@code contract/libstorage}) served by WireMock.
 */
class LibStorageVolumeStoreTests {

	private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.e30.not-a-real-signature";

	private WireMockServer libStorage;

	@BeforeEach
	void start() {
		this.libStorage = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
		this.libStorage.start();
	}

	@AfterEach
	void stop() {
		this.libStorage.stop();
	}

	@Test
	void theListingMapsEachVolumeNameToTheProvidersIdAndSendsTheToken() {
		this.libStorage.stubFor(get("/volumes/ebs-00").willReturn(fixture("volumes_service.response.json", 200)));

		assertThat(store("ebs-00", TOKEN).idsByName())
			.isEqualTo(Map.of("Volume-000", "vol-000", "Volume-001", "vol-001"));
		this.libStorage.verify(getRequestedFor(urlPathEqualTo("/volumes/ebs-00")).withHeader("Authorization",
				equalTo("Bearer " + TOKEN)));
	}

	@Test
	void withoutATokenNoAuthorizationHeaderIsSent() {
		this.libStorage.stubFor(get("/volumes/ebs-00").willReturn(fixture("volumes_service.response.json", 200)));

		store("ebs-00", "").idsByName();

		this.libStorage.verify(getRequestedFor(urlPathEqualTo("/volumes/ebs-00")).withoutHeader("Authorization"));
	}

	@Test
	void aDeleteGoesToTheVolumesIdWithEachSegmentEncoded() {
		this.libStorage
			.stubFor(delete(urlPathEqualTo("/volumes/a%2Fb/vol-000")).willReturn(aResponse().withStatus(205)));

		assertThatNoException().isThrownBy(() -> store("a/b", "").delete("vol-000"));
		this.libStorage.verify(deleteRequestedFor(urlPathEqualTo("/volumes/a%2Fb/vol-000")));
	}

	@Test
	void aVolumeAlreadyGoneCountsAsDeleted() {
		this.libStorage
			.stubFor(delete("/volumes/ebs-00/vol-000").willReturn(fixture("error.404.resource-not-found.json", 404)));

		assertThatNoException().isThrownBy(() -> store("ebs-00", "").delete("vol-000"));
	}

	@Test
	void aServerErrorIsRetryableAndNamesLibStorage() {
		this.libStorage.stubFor(get("/volumes/ebs-00")
			.willReturn(aResponse().withStatus(500).withBody("{\"type\":\"internalServerError\"}")));

		assertThatExceptionOfType(ServiceBrokerUnavailableException.class)
			.isThrownBy(() -> store("ebs-00", "").idsByName())
			.withMessageContaining("libStorage at " + this.libStorage.baseUrl() + " answered 500");
	}

	@Test
	void anUnreachableLibStorageNamesTheSettingToCheck() {
		this.libStorage
			.stubFor(get("/volumes/ebs-00").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

		assertThatExceptionOfType(ServiceBrokerUnavailableException.class)
			.isThrownBy(() -> store("ebs-00", "").idsByName())
			.withMessageContaining("BROKER_VOLUMES_URL");
	}

	@Test
	void aRefusedTokenNamesItsVariableAndNeverItsValue() {
		this.libStorage.stubFor(get("/volumes/ebs-00").willReturn(aResponse().withStatus(401)
			.withBody("{\"type\":\"unauthorizedRequest\",\"httpStatus\":401,"
					+ "\"message\":\"The requestor is unauthorized to access this resource\"}")));

		assertThatExceptionOfType(ServiceBrokerException.class).isThrownBy(() -> store("ebs-00", TOKEN).idsByName())
			.withMessageContaining("BROKER_VOLUMES_TOKEN")
			.withMessageNotContaining(TOKEN);
	}

	private LibStorageVolumeStore store(String service, String token) {
		return new LibStorageVolumeStore(
				new VolumesProperties(this.libStorage.baseUrl(), service, token, Duration.ZERO, Duration.ofSeconds(2)),
				RestClient.builder(), new SimpleMeterRegistry());
	}

	private static ResponseDefinitionBuilder fixture(String name, int status) {
		try (InputStream in = LibStorageVolumeStoreTests.class.getResourceAsStream("/contract/libstorage/" + name)) {
			return WireMock.aResponse()
				.withStatus(status)
				.withHeader("Content-Type", "application/json")
				.withBody(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
