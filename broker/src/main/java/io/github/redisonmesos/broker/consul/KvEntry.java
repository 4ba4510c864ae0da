package io.github.redisonmesos.broker.consul;

/**
 * One Consul KV entry.
 *
 * @param key the key
 * @param value the decoded value
 * @param modifyIndex the index to pass as {@code cas} for an update
 */
public record KvEntry(KvKey key, String value, long modifyIndex) {

	@Override
	public String toString() {
		// values hold sealed secrets; keep even those out of any log line
		return "KvEntry[key=" + this.key + ", modifyIndex=" + this.modifyIndex + "]";
	}

}
