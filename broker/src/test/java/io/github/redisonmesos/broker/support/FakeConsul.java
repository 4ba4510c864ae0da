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
import io.github.redisonmesos.broker.consul.ServiceInstance;

/**
 * In-process Consul with the KV check-and-set rules of fixtures/consul/SEMANTICS.md.
 */
public class FakeConsul implements ConsulClient {

	private final Map<String, KvEntry> kv = new TreeMap<>();

	private final AtomicLong index = new AtomicLong(100);

	private final Map<String, List<ServiceInstance>> passing = new ConcurrentHashMap<>();

	private final Map<String, List<ServiceInstance>> registered = new ConcurrentHashMap<>();

	private Runnable beforeNextPut = () -> {
	};

	@Override
	public synchronized Optional<KvEntry> get(String key) {
		return Optional.ofNullable(this.kv.get(key));
	}

	@Override
	public boolean put(String key, String value, long cas) {
		Runnable hook = this.beforeNextPut;
		this.beforeNextPut = () -> {
		};
		hook.run();
		synchronized (this) {
			KvEntry current = this.kv.get(key);
			boolean matches = (cas == 0) ? current == null : current != null && current.modifyIndex() == cas;
			if (!matches) {
				return false;
			}
			this.kv.put(key, new KvEntry(key, value, this.index.incrementAndGet()));
			return true;
		}
	}

	@Override
	public synchronized void delete(String key) {
		this.kv.remove(key);
	}

	@Override
	public synchronized void deleteRecursively(String prefix) {
		this.kv.keySet().removeIf((key) -> key.startsWith(prefix));
	}

	@Override
	public List<ServiceInstance> instances(String service, boolean passingOnly) {
		List<ServiceInstance> result = new ArrayList<>(this.passing.getOrDefault(service, List.of()));
		if (!passingOnly) {
			result.addAll(this.registered.getOrDefault(service, List.of()));
		}
		return result;
	}

	@Override
	public String datacenter() {
		return "dc1";
	}

	/** Make a service list one passing instance. */
	public void passing(String service, String address, int port) {
		this.passing.put(service, List.of(new ServiceInstance(address, port)));
	}

	/** Make a service list one instance whose checks fail. */
	public void critical(String service, String address, int port) {
		this.passing.remove(service);
		this.registered.put(service, List.of(new ServiceInstance(address, port)));
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

	public synchronized Map<String, KvEntry> kv() {
		return Map.copyOf(this.kv);
	}

}
