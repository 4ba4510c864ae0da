package io.github.redisonmesos.localplatform.consul;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.localplatform.LocalPlatformProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Consul's KV store, written through to {@code <state-dir>/consul/kv.json} so records
 * survive a restart of the local platform. Values are never logged.
 */
@Component
class KeyValueStore {

	private static final Logger logger = LoggerFactory.getLogger(KeyValueStore.class);

	private final TreeMap<String, KvEntry> entries = new TreeMap<>();

	// Index at which each deleted key went away, so a watcher of a prefix wakes on
	// deletes.
	private final Map<String, Long> tombstones = new HashMap<>();

	private final BlockingQueries queries;

	private final ObjectMapper objectMapper;

	private final Path file;

	private long tableIndex = 1;

	KeyValueStore(BlockingQueries queries, ObjectMapper objectMapper, LocalPlatformProperties properties) {
		this.queries = queries;
		this.objectMapper = objectMapper;
		this.file = properties.absoluteStateDir().resolve("consul").resolve("kv.json");
		load();
	}

	synchronized Optional<KvEntry> get(String key) {
		return Optional.ofNullable(this.entries.get(key));
	}

	synchronized List<KvEntry> list(String prefix) {
		return new ArrayList<>(this.entries.subMap(prefix, true, prefix + Character.MAX_VALUE, false).values());
	}

	/**
	 * The index a blocking read of one key or a prefix waits on.
	 * @param key the key or prefix
	 * @param prefix whether the read covers every key under {@code key}
	 * @return the resource index
	 */
	synchronized long index(String key, boolean prefix) {
		long index = 0;
		for (KvEntry entry : prefix ? list(key) : get(key).stream().toList()) {
			index = Math.max(index, entry.modifyIndex());
		}
		for (Map.Entry<String, Long> tombstone : this.tombstones.entrySet()) {
			if (prefix ? tombstone.getKey().startsWith(key) : tombstone.getKey().equals(key)) {
				index = Math.max(index, tombstone.getValue());
			}
		}
		return (index > 0) ? index : this.tableIndex;
	}

	/**
	 * Writes a key, honouring check-and-set.
	 * @param key the key
	 * @param value the raw value
	 * @param flags opaque client flags
	 * @param cas null for an unconditional write, 0 to create only, otherwise the
	 * ModifyIndex the key must still have
	 * @return whether the write happened
	 */
	boolean put(String key, byte[] value, long flags, Long cas) {
		synchronized (this) {
			KvEntry existing = this.entries.get(key);
			if (cas != null && ((cas == 0 && existing != null)
					|| (cas != 0 && (existing == null || existing.modifyIndex() != cas)))) {
				return false;
			}
			long index = this.queries.next();
			long createIndex = (existing != null) ? existing.createIndex() : index;
			this.entries.put(key, new KvEntry(key, value, flags, createIndex, index, 0));
			this.tombstones.remove(key);
			this.tableIndex = index;
			persist();
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
	 */
	boolean delete(String key, boolean recurse, Long cas) {
		synchronized (this) {
			KvEntry existing = this.entries.get(key);
			if (cas != null && (cas == 0 || existing == null || existing.modifyIndex() != cas)) {
				return false;
			}
			List<String> doomed = recurse ? list(key).stream().map(KvEntry::key).toList()
					: (existing != null) ? List.of(key) : List.of();
			long index = this.queries.next();
			doomed.forEach((doomedKey) -> {
				this.entries.remove(doomedKey);
				this.tombstones.put(doomedKey, index);
			});
			this.tableIndex = index;
			persist();
		}
		logger.debug("kv.delete key={} recurse={}", key, recurse);
		this.queries.changed();
		return true;
	}

	private void load() {
		if (!Files.exists(this.file)) {
			return;
		}
		try {
			Map<String, Object> state = this.objectMapper.readValue(this.file.toFile(), new TypeReference<>() {
			});
			this.tableIndex = ((Number) state.get("kvIndex")).longValue();
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> stored = (List<Map<String, Object>>) state.get("entries");
			stored.stream().map(KvEntry::fromJson).forEach((entry) -> this.entries.put(entry.key(), entry));
			// After a crash the saved global index may lag behind the last KV write.
			this.queries.advanceTo(this.tableIndex);
			logger.info("kv.loaded keys={} index={}", this.entries.size(), this.tableIndex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Cannot read the KV store " + this.file + "; fix or remove the file (its keys will be lost)", ex);
		}
	}

	private void persist() {
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("kvIndex", this.tableIndex);
		state.put("entries", this.entries.values().stream().map(KvEntry::toJson).toList());
		try {
			Files.createDirectories(this.file.getParent());
			Path temp = this.file.resolveSibling("kv.json.tmp");
			this.objectMapper.writeValue(temp.toFile(), state);
			// Atomic replace: a crash never leaves a half-written store behind.
			Files.move(temp, this.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the KV store " + this.file, ex);
		}
	}

}
