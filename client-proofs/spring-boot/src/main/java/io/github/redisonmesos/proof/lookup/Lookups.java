package io.github.redisonmesos.proof.lookup;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * A computation worth caching; the answer names how many times it ran, so a caller sees
 * whether it came from the cache.
 */
@Service
class Lookups {

	static final String CACHE = "lookups";

	private final AtomicLong computations = new AtomicLong();

	@Cacheable(CACHE)
	public String lookup(String key) {
		return key + " computed " + this.computations.incrementAndGet();
	}

	/**
	 * Clears the cache: Spring Data Redis's cache writer finds the cache's keys with
	 * KEYS.
	 */
	@CacheEvict(cacheNames = CACHE, allEntries = true)
	public void evictAll() {
	}

}
