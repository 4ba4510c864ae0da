package io.github.redisonmesos.broker.consul;

import java.util.ArrayList;
import java.util.List;

/**
 * A Consul KV key as its segments, so that a client encodes each one on its own and no
 * segment can add another, a query or a fragment to the URL, whatever it holds.
 *
 * @param segments the segments, none empty
 * @param folder whether the key names a folder ({@code a/b/}), as for a recursive delete
 * or a listing, rather than one key
 */
public record KvKey(List<String> segments, boolean folder) {

	public KvKey {
		segments = List.copyOf(segments);
		if (segments.isEmpty() || segments.stream().anyMatch(String::isEmpty)) {
			throw new IllegalArgumentException("A Consul key needs segments, none empty: " + segments);
		}
	}

	/**
	 * A key.
	 * @param segments its segments
	 * @return the key
	 */
	public static KvKey of(List<String> segments) {
		return new KvKey(segments, false);
	}

	/**
	 * This key with one more segment.
	 * @param segment the segment
	 * @return the key below this one
	 */
	public KvKey child(String segment) {
		List<String> child = new ArrayList<>(this.segments);
		child.add(segment);
		return new KvKey(child, false);
	}

	/**
	 * This key as a folder.
	 * @return the folder key
	 */
	public KvKey asFolder() {
		return new KvKey(this.segments, true);
	}

	/**
	 * The last segment.
	 * @return e.g. the id in {@code osb-redis/instances/<id>}
	 */
	public String name() {
		return this.segments.get(this.segments.size() - 1);
	}

	@Override
	public String toString() {
		return String.join("/", this.segments) + (this.folder ? "/" : "");
	}

}
