package io.github.redisonmesos.broker.consul;

import java.util.List;
import java.util.UUID;

import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link ConsulClient} does, the fake the service tests use as much as the
 * real adapter on the local platform's Consul: KV check-and-set as in
 * fixtures/consul/SEMANTICS.md, listings of direct children, recursive deletes, health of
 * an unknown service and of one registered with a tag.
 */
abstract class ConsulClientContract {

	// a folder of its own per test: the real Consul is shared by the class's tests
	private final KvKey folder = KvKey.of(List.of("contract", UUID.randomUUID().toString()));

	protected abstract ConsulClient consul();

	/**
	 * Register one instance of a service whose checks pass, tagged as marathon-consul
	 * tags a port whose labels hold {@code <tag>: tag}, and wait until it is listed.
	 * @param service the service name
	 * @param tag the tag
	 * @return where the instance listens
	 * @throws Exception when it cannot be registered
	 */
	protected abstract RedisEndpoint registerPassing(String service, String tag) throws Exception;

	@Test
	void aKeyNeverWrittenIsEmpty() {
		assertThat(consul().get(this.folder.child("nothing"))).isEmpty();
	}

	@Test
	void createWithCasZeroWinsOnceAndKeepsTheFirstValue() {
		KvKey key = this.folder.child("a");
		assertThat(consul().put(key, "first", 0)).isTrue();
		assertThat(consul().put(key, "second", 0)).isFalse();
		assertThat(consul().get(key)).hasValueSatisfying((entry) -> assertThat(entry.value()).isEqualTo("first"));
	}

	@Test
	void anUpdateWinsOnlyAtTheIndexItRead() {
		KvKey key = this.folder.child("a");
		consul().put(key, "v1", 0);
		long read = consul().get(key).orElseThrow().modifyIndex();
		assertThat(consul().put(key, "v2", read)).isTrue();
		long after = consul().get(key).orElseThrow().modifyIndex();
		assertThat(after).isGreaterThan(read);
		assertThat(consul().put(key, "stale", read)).isFalse();
		assertThat(consul().get(key).orElseThrow().value()).isEqualTo("v2");
	}

	@Test
	void anUpdateOfAKeyThatDoesNotExistLoses() {
		assertThat(consul().put(this.folder.child("gone"), "v", 12345)).isFalse();
		assertThat(consul().get(this.folder.child("gone"))).isEmpty();
	}

	@Test
	void aDeleteWinsOnlyAtTheIndexItRead() {
		KvKey key = this.folder.child("a");
		consul().put(key, "v1", 0);
		long read = consul().get(key).orElseThrow().modifyIndex();
		consul().put(key, "v2", read);
		assertThat(consul().delete(key, read)).isFalse();
		assertThat(consul().get(key)).isPresent();
		assertThat(consul().delete(key, consul().get(key).orElseThrow().modifyIndex())).isTrue();
		assertThat(consul().get(key)).isEmpty();
	}

	@Test
	void keysListsTheDirectChildrenOnly() {
		consul().put(this.folder.child("a"), "1", 0);
		consul().put(this.folder.child("b"), "2", 0);
		consul().put(this.folder.child("sub").child("c"), "3", 0);
		assertThat(consul().keys(this.folder)).extracting(KvKey::name).containsExactlyInAnyOrder("a", "b");
		assertThat(consul().keys(this.folder.child("empty"))).isEmpty();
	}

	@Test
	void deleteFolderRemovesEverythingBelowItAndNothingBeside() {
		KvKey beside = KvKey.of(List.of("contract", UUID.randomUUID() + "-beside"));
		consul().put(beside, "kept", 0);
		consul().put(this.folder.child("a"), "1", 0);
		consul().put(this.folder.child("sub").child("c"), "3", 0);
		consul().deleteFolder(this.folder);
		assertThat(consul().get(this.folder.child("a"))).isEmpty();
		assertThat(consul().get(this.folder.child("sub").child("c"))).isEmpty();
		assertThat(consul().get(beside)).isPresent();
	}

	// a slash or a dot segment is never in a key: the id rule refuses them before any
	// call, and Consul itself would decode %2F into a folder
	@Test
	void aKeyHoldingQueryOrFragmentSyntaxIsOneKey() {
		KvKey hostile = this.folder.child("a?recurse&b=c#d");
		consul().put(this.folder.child("a"), "other", 0);
		assertThat(consul().put(hostile, "v", 0)).isTrue();
		assertThat(consul().get(hostile).orElseThrow().value()).isEqualTo("v");
		assertThat(consul().get(this.folder.child("a")).orElseThrow().value()).isEqualTo("other");
	}

	@Test
	void anUnknownServiceHasNoInstances() {
		String service = "redis-contract-" + UUID.randomUUID();
		assertThat(consul().instances(service, true)).isEmpty();
		assertThat(consul().instances(service, false)).isEmpty();
	}

	@Test
	void aRegisteredServiceIsListedWithItsEndpointAndItsTags() throws Exception {
		String service = "contract-" + UUID.randomUUID();
		RedisEndpoint endpoint = registerPassing(service, "node-0");
		assertThat(consul().instances(service, true)).singleElement().satisfies((instance) -> {
			assertThat(instance.endpoint()).isEqualTo(endpoint);
			assertThat(instance.tags()).contains("node-0", "marathon");
		});
		assertThat(consul().instances(service, false)).extracting(ServiceInstance::endpoint).containsExactly(endpoint);
		assertThat(consul().instances(service + "-other", true)).isEmpty();
	}

	@Test
	void theDatacenterIsNamed() {
		assertThat(consul().datacenter()).isNotBlank();
	}

}
