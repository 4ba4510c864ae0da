package io.github.redisonmesos.broker.remote;

import java.net.URI;

import org.junit.jupiter.api.Test;

import org.springframework.web.client.ResourceAccessException;

import static org.assertj.core.api.Assertions.assertThat;

class RemoteErrorsTests {

	@Test
	void credentialsWrittenIntoTheUrlAreNotInTheDescription() {
		RemoteErrors errors = new RemoteErrors("Marathon", URI.create("https://ops:s3cret@marathon.example:8443/"),
				"MARATHON_URL", "MARATHON_USERNAME");
		String description = errors.translate(new ResourceAccessException("Connection refused")).error().getMessage();
		assertThat(description).contains("Marathon at https://marathon.example:8443/ is unreachable")
			.doesNotContain("s3cret");
	}

}
