package io.github.redisonmesos.proof.counter;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class CounterController {

	private static final String KEY = "spring-boot-proof:counter";

	private final StringRedisTemplate redis;

	CounterController(StringRedisTemplate redis) {
		this.redis = redis;
	}

	@PostMapping("/counter")
	Long increment() {
		return this.redis.opsForValue().increment(KEY);
	}

}
