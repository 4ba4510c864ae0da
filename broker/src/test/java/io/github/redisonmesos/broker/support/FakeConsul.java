package io.github.redisonmesos.broker.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.redisonmesos.broker.consul.ConsulClient;
import io.github.redisonmesos.broker.consul.KvEntry;
import io.github.redisonmesos.broker.consul.KvKey;
import io.github.redisonmesos.broker.consul.ServiceInstance;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException;

/**
 * In-process Consul with the KV check-and-set rules of fixtures/consul/SEMANTICS.md and a
 * health endpoint a test sets (instances with their tags, in the order added).
 */
public class FakeConsul implements ConsulClient {

	private final Map<String, KvEntry> kv = new TreeMap<>();

	private final AtomicLong index = new AtomicLong(100);

	private final Map<String, List<ServiceInstance>> passing = new ConcurrentHashMap<>();

	private final Map<String, List<ServiceInstance>> registered = new ConcurrentHashMap<>();

	private final List<String> writes = new ArrayList<>();

	private Runnable beforeNextPut = () -> {
	};

	private volatile boolean unreachable;

	@Override
	public synchronized Optional<KvEntry> get(KvKey key) {
		failIfUnreachable();
		return Optional.ofNullable(this.kv.get(key.toString()));
	}

	@Override
	public boolean put(KvKey key, String value, long cas) {
		failIfUnreachable();
		Runnable hook = this.beforeNextPut;
		this.beforeNextPut = () -> {
		};
		hook.run();
		synchronized (this) {
			this.writes.add("put " + key);
			KvEntry current = this.kv.get(key.toString());
			boolean matches = (cas == 0) ? current == null : current != null && current.modifyIndex() == cas;
			if (!matches) {
				return false;
			}
			this.kv.put(key.toString(), new KvEntry(key, value, this.index.incrementAndGet()));
			return true;
		}
	}

	@Override
	public synchronized boolean delete(KvKey key, long cas) {
		failIfUnreachable();
		this.writes.add("delete " + key);
		KvEntry current = this.kv.get(key.toString());
		if (current == null || current.modifyIndex() != cas) {
			return false;
		}
		this.kv.remove(key.toString());
		return true;
	}

	@Override
	public synchronized void deleteFolder(KvKey folder) {
		failIfUnreachable();
		this.writes.add("delete " + folder.asFolder());
		this.kv.keySet().removeIf((key) -> key.startsWith(folder.asFolder().toString()));
	}

	@Override
	public synchronized List<KvKey> keys(KvKey folder) {
		failIfUnreachable();
		String prefix = folder.asFolder().toString();
		return this.kv.keySet()
			.stream()
			.filter((key) -> key.startsWith(prefix) && !key.substring(prefix.length()).contains("/"))
			.map((key) -> folder.child(key.substring(prefix.length())))
			.toList();
	}

	@Override
	public List<ServiceInstance> instances(String service, boolean passingOnly) {
		failIfUnreachable();
		List<ServiceInstance> result = new ArrayList<>(this.passing.getOrDefault(service, List.of()));
		if (!passingOnly) {
			result.addAll(this.registered.getOrDefault(service, List.of()));
		}
		return result;
	}

	@Override
	public String datacenter() {
		failIfUnreachable();
		return "dc1";
	}

	private void failIfUnreachable() {
		if (this.unreachable) {
			throw new ServiceBrokerUnavailableException("Consul at http://127.0.0.1:1 is unreachable");
		}
	}

	/** Make a service list one passing instance, without tags. */
	public void passing(String service, String address, int port) {
		this.registered.remove(service);
		this.passing.put(service, List.of(instance(address, port, List.of())));
	}

	/** Make a service list one instance whose checks fail, without tags. */
	public void critical(String service, String address, int port) {
		this.passing.remove(service);
		this.registered.put(service, List.of(instance(address, port, List.of())));
	}

	/** Add a passing instance with its tags to those a service lists. */
	public void addPassing(String service, String address, int port, List<String> tags) {
		this.passing.merge(service, List.of(instance(address, port, tags)), FakeConsul::concat);
	}

	/** Add an instance whose checks fail, with its tags, to those a service lists. */
	public void addCritical(String service, String address, int port, List<String> tags) {
		this.registered.merge(service, List.of(instance(address, port, tags)), FakeConsul::concat);
	}

	private static ServiceInstance instance(String address, int port, List<String> tags) {
		return new ServiceInstance(new RedisEndpoint(address, port), tags);
	}

	private static List<ServiceInstance> concat(List<ServiceInstance> listed, List<ServiceInstance> added) {
		List<ServiceInstance> all = new ArrayList<>(listed);
		all.addAll(added);
		return List.copyOf(all);
	}

	/** Remove every instance of a service, as marathon-consul does when a task dies. */
	public void deregister(String service) {
		this.passing.remove(service);
		this.registered.remove(service);
	}

	/** Run something (another broker's write) just before the next put. */
	public void beforeNextPut(Runnable hook) {
		this.beforeNextPut = hook;
	}

	public void unreachable(boolean unreachable) {
		this.unreachable = unreachable;
	}

	/** Every KV write and delete asked for, won or not. */
	public synchronized List<String> writes() {
		return List.copyOf(this.writes);
	}

	/** Every key and its raw value. */
	public synchronized Map<String, String> values() {
		Map<String, String> values = new TreeMap<>();
		this.kv.forEach((key, entry) -> values.put(key, entry.value()));
		return values;
	}

	/** Store a raw value, as a hand edit or a hostile writer would. */
	public synchronized void write(String key, String value) {
		this.kv.put(key, new KvEntry(KvKey.of(List.of(key.split("/"))), value, this.index.incrementAndGet()));
	}

}
