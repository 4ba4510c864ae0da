package io.github.redisonmesos.broker.consul;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.github.redisonmesos.broker.instance.ports.PortClaims;
import io.github.redisonmesos.broker.records.Versioned;

import org.springframework.stereotype.Component;

/**
 * {@link PortClaims} in Consul KV: one key per claimed port,
 * {@code <prefix>/ports/<port>}, created with {@code cas=0}, holding the instance id and
 * when it was claimed.
 */
@Component
class KvPortClaims implements PortClaims {

	private final KvRecords records;

	KvPortClaims(KvRecords records) {
		this.records = records;
	}

	@Override
	public boolean claim(int port, String instanceId, Instant at) {
		return this.records.create(this.records.portKey(port), new Holder(instanceId, at));
	}

	@Override
	public Set<Integer> ports() {
		Set<Integer> ports = new TreeSet<>();
		for (KvKey key : this.records.list(this.records.ports())) {
			port(key).ifPresent(ports::add);
		}
		return ports;
	}

	@Override
	public List<Claim> all() {
		return ports().stream()
			.flatMap((port) -> this.records.read(this.records.portKey(port), Holder.class)
				.map((read) -> new Claim(port, read.value().instanceId(), read.value().claimedAt()))
				.stream())
			.toList();
	}

	@Override
	public void release(int port, String instanceId) {
		KvKey key = this.records.portKey(port);
		Optional<Versioned<Holder>> current = this.records.read(key, Holder.class);
		if (current.isPresent() && current.get().value().instanceId().equals(instanceId)) {
			this.records.delete(key, current.get().version());
		}
	}

	// a key that is no port number is not the broker's: it is left alone
	private static Optional<Integer> port(KvKey key) {
		try {
			return Optional.of(Integer.parseInt(key.name()));
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
		}
	}

	/**
	 * The value of a claim.
	 *
	 * @param instanceId the instance that holds the port
	 * @param claimedAt when it claimed it
	 */
	record Holder(String instanceId, Instant claimedAt) {

	}

}
