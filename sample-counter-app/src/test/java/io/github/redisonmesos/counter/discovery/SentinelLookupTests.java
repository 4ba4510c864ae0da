package io.github.redisonmesos.counter.discovery;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.counter.binding.RedisBinding;
import io.github.redisonmesos.counter.binding.SentinelBinding;
import io.github.redisonmesos.counter.support.SentinelBackends;
import io.github.redisonmesos.testsupport.RedisServerProcess;
import org.apache.http.impl.client.CloseableHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Following the primary of an {@code ha} instance through real Sentinels: where the
 * Sentinels come from (Consul, else the binding), what a plain read says, and a blocking
 * read that returns on {@code +switch-master} with the new primary.
 */
class SentinelLookupTests {

	@RegisterExtension
	static final SentinelBackends ha = new SentinelBackends();

	private final DiscoveryConfiguration configuration = new DiscoveryConfiguration();

	private final WatchProperties properties = new WatchProperties(Duration.ofSeconds(55), Duration.ofMillis(50),
			Duration.ofMillis(200), Duration.ofSeconds(1));

	private CloseableHttpClient httpClient;

	@BeforeEach
	void consulListsTheSentinels() {
		this.httpClient = this.configuration.consulHttpClient(this.properties);
		ha.announceSentinels();
	}

	@AfterEach
	void closeClient() throws Exception {
		this.httpClient.close();
	}

	@Test
	void aPlainReadNamesThePrimaryItsRoleAndSaysTheSentinelsCameFromConsul() {
		LookupResult result = lookup(SentinelBackends.PASSWORD).passingInstances(0, null);

		assertThat(result.endpoints()).containsExactly(new RedisEndpoint("127.0.0.1", ha.primary().port()));
		assertThat(result.index()).as("config epoch + 1").isEqualTo(configEpoch() + 1);
		assertThat(result.sentinel().role()).isEqualTo("master");
		assertThat(result.sentinel().sentinelsFrom())
			.isEqualTo("Consul service '" + SentinelBackends.SENTINEL_SERVICE + "'");
	}

	@Test
	void whenConsulListsNoSentinelOrCannotBeAskedTheBindingsListServes() {
		ha.stubs().stubNoPassingInstance(SentinelBackends.SENTINEL_SERVICE, 99);
		LookupResult noneListed = lookup(SentinelBackends.PASSWORD).passingInstances(0, null);
		ha.stubs().stubConsulUnreachable(SentinelBackends.SENTINEL_SERVICE);
		LookupResult unreachable = lookup(SentinelBackends.PASSWORD).passingInstances(0, null);

		for (LookupResult result : List.of(noneListed, unreachable)) {
			assertThat(result.endpoints()).containsExactly(new RedisEndpoint("127.0.0.1", ha.primary().port()));
			assertThat(result.sentinel().sentinelsFrom()).isEqualTo("the binding's sentinels");
		}
	}

	@Test
	void aBlockingReadReturnsOnSwitchMasterWithTheNewPrimaryAndAHigherIndex() throws Exception {
		EndpointLookup lookup = lookup(SentinelBackends.PASSWORD);
		LookupResult before = lookup.passingInstances(0, null);
		RedisServerProcess oldPrimary = ha.primary();
		long started = System.nanoTime();
		CompletableFuture<LookupResult> blocking = CompletableFuture
			.supplyAsync(() -> lookup.passingInstances(before.index(), Duration.ofSeconds(60)));
		// subscribed or not yet: a switch before the subscription shows in the read after
		// it
		try (Jedis sentinel = ha.sentinels().get(1).admin()) {
			sentinel.sentinelFailover(SentinelBackends.MASTER_NAME);
		}

		LookupResult after = blocking.get(30, TimeUnit.SECONDS);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).as("well before the wait is over")
			.isLessThan(Duration.ofSeconds(30));
		assertThat(after.index()).isGreaterThan(before.index());
		assertThat(after.endpoints()).hasSize(1).doesNotContain(new RedisEndpoint("127.0.0.1", oldPrimary.port()));
		assertThat(after.endpoints().get(0).port()).isEqualTo(ha.primary().port());
		// the old primary follows the new one before the next test
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> oldPrimary.admin().role().get(0).equals("slave"));
	}

	@Test
	void aBlockingReadWithNothingNewAnswersTheSameWhenItsWaitIsOver() {
		EndpointLookup lookup = lookup(SentinelBackends.PASSWORD);
		LookupResult before = lookup.passingInstances(0, null);

		LookupResult after = lookup.passingInstances(before.index(), Duration.ofMillis(300));

		assertThat(after.index()).isEqualTo(before.index());
		assertThat(after.endpoints()).isEqualTo(before.endpoints());
	}

	@Test
	void sentinelsConsulsAclsHideAreNamedWhenTheBindingsSentinelsDoNotAnswerEither() {
		ha.stubs().stubHiddenByAcls(SentinelBackends.SENTINEL_SERVICE, 99);
		LookupResult fromBinding = lookup(SentinelBackends.PASSWORD).passingInstances(0, null);
		assertThat(fromBinding.sentinel().sentinelsFrom()).isEqualTo("the binding's sentinels");

		String wrong = "not-the-sentinel-password-4711";
		assertThatExceptionOfType(ConsulAclFilteredException.class)
			.isThrownBy(() -> lookup(wrong).passingInstances(0, null))
			.withMessageStartingWith("Consul's ACLs hid every passing instance of service '"
					+ SentinelBackends.SENTINEL_SERVICE + "' from this app")
			.withMessageContaining("service:read on '" + SentinelBackends.SENTINEL_SERVICE + "'")
			.withMessageContaining("No Sentinel answered")
			.withMessageNotContaining(wrong);
	}

	@Test
	void refusedCredentialsSayNoSentinelAnsweredWithoutThePassword() {
		String wrong = "not-the-sentinel-password-4711";

		assertThatExceptionOfType(EndpointLookupException.class)
			.isThrownBy(() -> lookup(wrong).passingInstances(0, null))
			.withMessageContaining("No Sentinel answered")
			.withMessageContaining(SentinelBackends.MASTER_NAME)
			.withMessageNotContaining(wrong);
		assertThat(lookup(wrong).unreachable()).isEqualTo(Resolution.Reason.SENTINEL_UNREACHABLE);
	}

	private EndpointLookup lookup(String sentinelPassword) {
		List<SentinelBinding.Address> sentinels = ha.sentinels()
			.stream()
			.map((sentinel) -> new SentinelBinding.Address("127.0.0.1", sentinel.port()))
			.toList();
		RedisBinding binding = new RedisBinding(URI.create("http://127.0.0.1:" + ha.consul().port()), "dc1",
				SentinelBackends.REDIS_SERVICE, SentinelBackends.USER, SentinelBackends.PASSWORD, null, "test",
				new SentinelBinding(SentinelBackends.MASTER_NAME, sentinels, SentinelBackends.USER, sentinelPassword,
						SentinelBackends.SENTINEL_SERVICE));
		return DiscoveryConfiguration.lookup(this.configuration.consulClient(this.httpClient, binding), binding,
				this.properties);
	}

	private static long configEpoch() {
		try (Jedis sentinel = ha.sentinels().get(0).admin()) {
			return Long.parseLong(sentinel.sentinelMaster(SentinelBackends.MASTER_NAME).get("config-epoch"));
		}
	}

}
