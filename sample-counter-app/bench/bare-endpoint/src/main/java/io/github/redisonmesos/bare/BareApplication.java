package io.github.redisonmesos.bare;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.JedisPooled;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The least a Spring Boot endpoint can do per request to count in Redis: one {@code INCR}
 * on one long-lived pool, the number as plain text. The counter app's bench compares its
 * page and JSON with this.
 */
@SpringBootApplication
@RestController
public class BareApplication {

	private final JedisPooled redis;

	BareApplication(JedisPooled redis) {
		this.redis = redis;
	}

	public static void main(String[] args) {
		SpringApplication.run(BareApplication.class, args);
	}

	@GetMapping("/bare")
	String increment() {
		return Long.toString(this.redis.incr("bare-counter"));
	}

	@Bean(destroyMethod = "close")
	static JedisPooled redis(@Value("${redis.port}") int port, @Value("${redis.max-connections:32}") int size) {
		ConnectionPoolConfig pool = new ConnectionPoolConfig();
		pool.setMaxTotal(size);
		pool.setMaxIdle(size);
		return new JedisPooled(pool, "127.0.0.1", port);
	}

}
