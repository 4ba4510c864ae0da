package io.github.redisonmesos.proof.lookup;

import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class LookupController {

	private final Lookups lookups;

	LookupController(Lookups lookups) {
		this.lookups = lookups;
	}

	@GetMapping("/lookups/{key}")
	String lookup(@PathVariable String key) {
		return this.lookups.lookup(key);
	}

	@DeleteMapping("/lookups")
	void evictAll() {
		this.lookups.evictAll();
	}

}
