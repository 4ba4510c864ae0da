package io.github.redisonmesos.counter.discovery;

import java.net.URI;
import java.time.Duration;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.redisonmesos.counter.binding.RedisBinding;
import io.github.redisonmesos.counter.support.ConsulStubs;
import org.apache.http.impl.client.CloseableHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ConsulHealthLookupTests {

	private static final String PATH = "/v1/health/service/redis";

	private final WireMockServer consul = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());

	private static final String TOKEN = "6e1f3a92-0b4d-4c7a-b58e-2d9f6c1a3e70";

	private static final String TOKEN_HEADER = "X-Consul-Token";

	private final DiscoveryConfiguration configuration = new DiscoveryConfiguration();

	private CloseableHttpClient httpClient;

	private ConsulHealthLookup lookup;

	@BeforeEach
	void startConsul() {
		this.consul.start();
		WatchProperties properties = new WatchProperties(Duration.ofSeconds(55), Duration.ofMillis(50),
				Duration.ofMillis(200), Duration.ofSeconds(1));
		this.httpClient = this.configuration.consulHttpClient(properties);
		this.lookup = lookupWithToken(null);
	}

	@AfterEach
	void stopConsul() throws Exception {
		this.httpClient.close();
		this.consul.stop();
	}

	@Test
	void readsServiceAddressPortAndIndexFromTheUpstreamFixture() {
		stub(ConsulStubs.fixture(), "7");

		LookupResult result = this.lookup.passingInstances(0, null);

		assertThat(result.endpoints()).containsExactly(new RedisEndpoint("10.1.10.12", 8000));
		assertThat(result.index()).isEqualTo(7);
	}

	@Test
	void blockingQueryAsksForPassingInstancesWithIndexWaitAndDatacenter() {
		stub(ConsulStubs.fixture(), "43");

		this.lookup.passingInstances(42, Duration.ofSeconds(55));

		this.consul.verify(getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("passing", equalTo("true"))
			.withQueryParam("index", equalTo("42"))
			.withQueryParam("wait", equalTo("55s"))
			.withQueryParam("dc", equalTo("dc1")));
	}

	@Test
	void plainReadCarriesNeitherIndexNorWait() {
		stub(ConsulStubs.fixture(), "7");

		this.lookup.passingInstances(0, null);

		this.consul.verify(getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("index", absent())
			.withQueryParam("wait", absent()));
	}

	@Test
	void emptyServiceAddressFallsBackToTheNodeAddress() {
		stub(ConsulStubs.passingBody("", 6390), "8");

		LookupResult result = this.lookup.passingInstances(0, null);

		assertThat(result.endpoints()).containsExactly(new RedisEndpoint("10.1.10.12", 6390));
	}

	@Test
	void noPassingInstanceIsAnEmptyList() {
		stub("[]", "9");

		assertThat(this.lookup.passingInstances(0, null).endpoints()).isEmpty();
	}

	@Test
	void aListingTheAclsEmptiedIsReportedNamingTheTokenAndThePermissionNotAsNoInstance() {
		new ConsulStubs(this.consul).stubHiddenByAcls("redis", 9);

		assertThatExceptionOfType(ConsulAclFilteredException.class)
			.isThrownBy(() -> lookupWithToken(TOKEN).passingInstances(0, null))
			.withMessage("Consul's ACLs hid every passing instance of service 'redis' from this app "
					+ "(X-Consul-Results-Filtered-By-ACLs): the app's ACL token (consul_token in the binding's "
					+ "credentials, the broker's CONSUL_APP_TOKEN; without a binding, CONSUL_TOKEN) needs "
					+ "service:read on 'redis' and node:read on the nodes it runs on "
					+ "(manifests/consul/apps-policy.hcl: service \"redis\" and node_prefix \"\" with policy \"read\")");
	}

	@Test
	void withoutATokenTheAgentsDefaultTokenIsNamedAndTheAppToldToSendOne() {
		new ConsulStubs(this.consul).stubHiddenByAcls("redis", 9);

		assertThatExceptionOfType(ConsulAclFilteredException.class)
			.isThrownBy(() -> this.lookup.passingInstances(0, null))
			.withMessageContaining("the app sends no ACL token and the Consul agent's default token lacks them")
			.withMessageContaining("CONSUL_APP_TOKEN")
			.withMessageContaining("service:read on 'redis'");
	}

	@Test
	void whatAPartlyFilteredListingStillHoldsServes() {
		this.consul.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withHeader("X-Consul-Index", "7")
			.withHeader("X-Consul-Results-Filtered-By-ACLs", "true")
			.withBody(ConsulStubs.fixture())));

		assertThat(lookupWithToken(TOKEN).passingInstances(0, null).endpoints())
			.containsExactly(new RedisEndpoint("10.1.10.12", 8000));
	}

	@Test
	void consulErrorStatusIsReportedWithWhatWasAsked() {
		this.consul
			.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(500).withBody("No cluster leader")));

		assertThatExceptionOfType(EndpointLookupException.class).isThrownBy(() -> this.lookup.passingInstances(0, null))
			.withMessageContaining("HTTP 500")
			.withMessageContaining("No cluster leader")
			.withMessageContaining("service 'redis' in datacenter dc1");
	}

	@Test
	void unreachableConsulIsReportedAsLookupFailure() {
		new ConsulStubs(this.consul).stubConsulUnreachable("redis");

		assertThatExceptionOfType(EndpointLookupException.class).isThrownBy(() -> this.lookup.passingInstances(0, null))
			.withMessageStartingWith("Could not ask Consul for passing instances of service 'redis'");
	}

	@Test
	void tokenGoesAsHeaderOnBlockingQueriesAndPlainReads() {
		stub(ConsulStubs.fixture(), "43");
		ConsulHealthLookup withToken = lookupWithToken(TOKEN);

		withToken.passingInstances(42, Duration.ofSeconds(55));
		withToken.passingInstances(0, null);

		this.consul.verify(2, getRequestedFor(urlPathEqualTo(PATH)).withHeader(TOKEN_HEADER, equalTo(TOKEN)));
		this.consul.verify(0, getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("token", matching(".*")));
		this.consul.verify(getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("index", equalTo("42"))
			.withQueryParam("passing", equalTo("true"))
			.withQueryParam("dc", equalTo("dc1")));
	}

	@Test
	void withoutTokenNoTokenIsSent() {
		stub(ConsulStubs.fixture(), "7");

		this.lookup.passingInstances(0, null);

		this.consul.verify(1, getRequestedFor(urlPathEqualTo(PATH)).withHeader(TOKEN_HEADER, absent())
			.withQueryParam("token", absent()));
	}

	@Test
	void refusedTokenIsReportedWithWhatToCheckButNotTheToken() {
		this.consul
			.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(403).withBody("ACL not found")));

		assertThatExceptionOfType(EndpointLookupException.class)
			.isThrownBy(() -> lookupWithToken(TOKEN).passingInstances(0, null))
			.withMessageStartingWith("Consul refused the ACL token for passing instances of service 'redis'")
			.withMessageContaining("HTTP 403")
			.withMessageContaining("ACL not found")
			.withMessageContaining("consul_token")
			.withMessageContaining("CONSUL_TOKEN")
			.withMessageContaining("service:read on 'redis'")
			.withMessageNotContaining(TOKEN);
	}

	@Test
	void refusalWithoutTokenSaysToConfigureOne() {
		this.consul
			.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(403).withBody("ACL not found")));

		assertThatExceptionOfType(EndpointLookupException.class).isThrownBy(() -> this.lookup.passingInstances(0, null))
			.withMessageStartingWith("Asked Consul without an ACL token")
			.withMessageContaining("enforces ACLs")
			.withMessageContaining("CONSUL_APP_TOKEN")
			.withMessageContaining("CONSUL_TOKEN");
	}

	@Test
	void aTokenEchoedByConsulIsRedactedFromTheMessage() {
		this.consul.stubFor(get(urlPathEqualTo(PATH))
			.willReturn(aResponse().withStatus(500).withBody("rpc error: bad token " + TOKEN)));

		assertThatExceptionOfType(EndpointLookupException.class)
			.isThrownBy(() -> lookupWithToken(TOKEN).passingInstances(0, null))
			.withMessageContaining("bad token <token>")
			.withMessageNotContaining(TOKEN);
	}

	private ConsulHealthLookup lookupWithToken(String token) {
		RedisBinding binding = new RedisBinding(URI.create("http://127.0.0.1:" + this.consul.port()), "dc1", "redis",
				null, null, token, "test");
		return new ConsulHealthLookup(this.configuration.consulClient(this.httpClient, binding), binding);
	}

	private void stub(String body, String index) {
		this.consul.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withHeader("X-Consul-Index", index)
			.withBody(body)));
	}

}
