package io.github.redisonmesos.proof;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

@SpringBootApplication
@EnableCaching
public class ProofApplication {

	public static void main(String[] args) {
		SpringApplication.run(ProofApplication.class, args);
	}

}
