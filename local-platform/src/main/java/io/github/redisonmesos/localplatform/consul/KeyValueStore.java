package io.github.redisonmesos.localplatform.consul;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.localplatform.LocalPlatformProperties;
import io.github.redisonmesos.localplatform.state.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Consul's KV store. Every write is stored in {@code <state-dir>/consul/kv.json}
 * (atomically, fsynced, readable by the owner only: values hold the broker's records)
 * before it becomes visible, so a write that answered {@code true} survives a crash and
 * one that could not be stored changes nothing. Reads use an immutable snapshot and never
 * wait for a write. Values are never logged.
 */
@Component
class KeyValueStore {

	private static final Logger logger = LoggerFactory.getLogger(KeyValueStore.class);

	private final BlockingQueries queries;

	private final ObjectMapper objectMapper;

	private final Path file;

	// Writes run one at a time, each stored before it is published.
	private final Object writes = new Object();

	private volatile State state;

	KeyValueStore(BlockingQueries queries, ObjectMapper objectMapper, LocalPlatformProperties properties) {
		this.queries = queries;
		this.objectMapper = objectMapper;
		this.file = properties.absoluteStateDir().resolve("consul").resolve("kv.json");
		this.state = load();
	}

	Optional<KvEntry> get(String key) {
		return Optional.ofNullable(this.state.entries().get(key));
	}

	List<KvEntry> list(String prefix) {
		return this.state.under(prefix);
	}

	/**
	 * The index a blocking read of one key or a prefix waits on.
	 * @param key the key or prefix
	 * @param prefix whether the read covers every key under {@code key}
	 * @return the resource index
	 */
	long index(String key, boolean prefix) {
		State current = this.state;
		long index = 0;
		for (KvEntry entry : prefix ? current.under(key)
				: Optional.ofNullable(current.entries().get(key)).stream().toList()) {
			index = Math.max(index, entry.modifyIndex());
		}
		for (Map.Entry<String, Long> tombstone : current.tombstones().entrySet()) {
			if (prefix ? tombstone.getKey().startsWith(key) : tombstone.getKey().equals(key)) {
				index = Math.max(index, tombstone.getValue());
			}
		}
		return (index > 0) ? index : current.tableIndex();
	}

	/**
	 * Writes a key, honouring check-and-set.
	 * @param key the key
	 * @param value the raw value
	 * @param flags opaque client flags
	 * @param cas null for an unconditional write, 0 to create only, otherwise the
	 * ModifyIndex the key must still have
	 * @return whether the write happened
	 * @throws UncheckedIOException when the write cannot be stored; nothing changed then
	 */
	boolean put(String key, byte[] value, long flags, Long cas) {
		synchronized (this.writes) {
			State current = this.state;
			KvEntry existing = current.entries().get(key);
			if (cas != null && ((cas == 0 && existing != null)
					|| (cas != 0 && (existing == null || existing.modifyIndex() != cas)))) {
				return false;
			}
			long index = this.queries.next();
			long createIndex = (existing != null) ? existing.createIndex() : index;
			TreeMap<String, KvEntry> entries = new TreeMap<>(current.entries());
			entries.put(key, new KvEntry(key, value, flags, createIndex, index, 0));
			Map<String, Long> tombstones = new HashMap<>(current.tombstones());
			tombstones.remove(key);
			publish(new State(entries, tombstones, index));
		}
		logger.debug("kv.put key={}", key);
		this.queries.changed();
		return true;
	}

	/**
	 * Deletes a key or a whole prefix.
	 * @param key the key or prefix
	 * @param recurse whether to delete every key under the prefix
	 * @param cas null for an unconditional delete, otherwise the ModifyIndex the key must
	 * have (0 never deletes)
	 * @return whether the delete was carried out
	 * @throws UncheckedIOException when the delete cannot be stored; nothing changed then
	 */
	boolean delete(String key, boolean recurse, Long cas) {
		synchronized (this.writes) {
			State current = this.state;
			KvEntry existing = current.entries().get(key);
			if (cas != null && (cas == 0 || existing == null || existing.modifyIndex() != cas)) {
				return false;
			}
			List<String> doomed = recurse ? current.under(key).stream().map(KvEntry::key).toList()
					: (existing != null) ? List.of(key) : List.of();
			long index = this.queries.next();
			TreeMap<String, KvEntry> entries = new TreeMap<>(current.entries());
			Map<String, Long> tombstones = new HashMap<>(current.tombstones());
			doomed.forEach((doomedKey) -> {
				entries.remove(doomedKey);
				tombstones.put(doomedKey, index);
			});
			publish(new State(entries, tombstones, index));
		}
		logger.debug("kv.delete key={} recurse={}", key, recurse);
		this.queries.changed();
		return true;
	}

	private void publish(State next) {
		Map<String, Object> stored = new LinkedHashMap<>();
		stored.put("kvIndex", next.tableIndex());
		stored.put("entries", next.entries().values().stream().map(KvEntry::toJson).toList());
		try {
			DurableFiles.write(this.file, this.objectMapper.writeValueAsBytes(stored), true);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the KV store " + this.file, ex);
		}
		this.state = next;
	}

	private State load() {
		if (!Files.exists(this.file)) {
			return new State(new TreeMap<>(), Map.of(), 1);
		}
		try {
			Map<String, Object> stored = this.objectMapper.readValue(this.file.toFile(), new TypeReference<>() {
			});
			long tableIndex = ((Number) stored.get("kvIndex")).longValue();
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> entries = (List<Map<String, Object>>) stored.get("entries");
			TreeMap<String, KvEntry> byKey = new TreeMap<>();
			entries.stream().map(KvEntry::fromJson).forEach((entry) -> byKey.put(entry.key(), entry));
			// The index file's ceiling is stored apart from this file: never resume below
			// the last KV write.
			this.queries.advanceTo(tableIndex);
			logger.info("kv.loaded keys={} index={}", byKey.size(), tableIndex);
			return new State(byKey, Map.of(), tableIndex);
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException(
					"Cannot read the KV store " + this.file + "; fix or remove the file (its keys will be lost)", ex);
		}
	}

	/**
	 * One immutable version of the store.
	 *
	 * @param entries the keys
	 * @param tombstones index at which each deleted key went away, so a watcher of a
	 * prefix wakes on deletes
	 * @param tableIndex the index of the last write
	 */
	private record State(NavigableMap<String, KvEntry> entries, Map<String, Long> tombstones, long tableIndex) {

		State {
			entries = Collections.unmodifiableNavigableMap(entries);
			tombstones = Collections.unmodifiableMap(tombstones);
		}

		List<KvEntry> under(String prefix) {
			return new ArrayList<>(this.entries.subMap(prefix, true, prefix + Character.MAX_VALUE, false).values());
		}

	}

}
