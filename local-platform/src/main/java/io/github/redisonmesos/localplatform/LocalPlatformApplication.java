package io.github.redisonmesos.localplatform;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class LocalPlatformApplication {

	public static void main(String[] args) {
		SpringApplication.run(LocalPlatformApplication.class, args);
	}

}
