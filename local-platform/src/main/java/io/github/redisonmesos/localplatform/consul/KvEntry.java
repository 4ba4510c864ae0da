package io.github.redisonmesos.localplatform.consul;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One key of the KV store with Consul's bookkeeping indexes.
 */
record KvEntry(String key, byte[] value, long flags, long createIndex, long modifyIndex, long lockIndex) {

	Map<String, Object> toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("LockIndex", this.lockIndex);
		json.put("Key", this.key);
		json.put("Flags", this.flags);
		json.put("Value", (this.value.length == 0) ? null : Base64.getEncoder().encodeToString(this.value));
		json.put("CreateIndex", this.createIndex);
		json.put("ModifyIndex", this.modifyIndex);
		return json;
	}

	static KvEntry fromJson(Map<String, Object> json) {
		Object value = json.get("Value");
		return new KvEntry((String) json.get("Key"),
				(value != null) ? Base64.getDecoder().decode((String) value) : new byte[0],
				((Number) json.get("Flags")).longValue(), ((Number) json.get("CreateIndex")).longValue(),
				((Number) json.get("ModifyIndex")).longValue(), ((Number) json.get("LockIndex")).longValue());
	}

}
