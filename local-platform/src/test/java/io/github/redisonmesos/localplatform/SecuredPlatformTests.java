package io.github.redisonmesos.localplatform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;

import io.github.redisonmesos.localplatform.server.ConsulConnector;
import io.github.redisonmesos.testsupport.EndToEnd;
import io.github.redisonmesos.testsupport.InProcessStarts;
import io.github.redisonmesos.testsupport.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The platform as a secured production stand-in: both APIs over HTTPS with a certificate
 * an operator's CA signed, and Marathon's API behind HTTP basic authentication
 * ({@code LOCAL_PLATFORM_MARATHON_CREDENTIALS}).
 */
@EndToEnd
class SecuredPlatformTests {

	private static final String BASIC = "Basic "
			+ Base64.getEncoder().encodeToString("ops:marathon-pw".getBytes(StandardCharsets.UTF_8));

	@TempDir
	static Path work;

	private static ConfigurableApplicationContext platform;

	private static HttpClient client;

	private static String marathon;

	private static String consul;

	@BeforeAll
	static void start() {
		TestCertificates certificates = TestCertificates.generate(work);
		List<String> arguments = new ArrayList<>(List.of("--local-platform.marathon-port=0",
				"--local-platform.consul-port=0", "--local-platform.state-dir=" + work.resolve("state"),
				"--local-platform.marathon-credentials=ops:marathon-pw"));
		arguments.addAll(certificates.serverArguments("platform"));
		platform = InProcessStarts.alone(() -> new SpringApplicationBuilder(LocalPlatformApplication.class)
			.run(arguments.toArray(String[]::new)));
		marathon = "https://127.0.0.1:" + ((WebServerApplicationContext) platform).getWebServer().getPort();
		consul = "https://127.0.0.1:" + platform.getBean(ConsulConnector.class).port();
		client = HttpClient.newBuilder().sslContext(certificates.clientContext()).build();
	}

	@AfterAll
	static void stop() {
		if (platform != null) {
			platform.close();
		}
	}

	@Test
	void marathonAnswersOnlyWithItsCredentials() throws Exception {
		HttpResponse<String> without = get(marathon + "/v2/apps", null);
		assertThat(without.statusCode()).isEqualTo(401);
		assertThat(without.body()).isEqualTo("{ \"message\": \"Invalid username or password.\" }");
		assertThat(without.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Mesosphere\"");
		String wrong = "Basic " + Base64.getEncoder().encodeToString("ops:wrong".getBytes(StandardCharsets.UTF_8));
		assertThat(get(marathon + "/v2/info", wrong).statusCode()).isEqualTo(401);
		assertThat(get(marathon + "/v2/apps", BASIC).statusCode()).isEqualTo(200);
	}

	@Test
	void pingAndConsulNeedNoMarathonCredentials() throws Exception {
		assertThat(get(marathon + "/ping", null).statusCode()).isEqualTo(200);
		assertThat(get(consul + "/v1/status/leader", null).statusCode()).isEqualTo(200);
	}

	@Test
	void bothApisSpeakHttpsWithTheOperatorsCertificate() throws Exception {
		// the client trusts the test CA alone: an answer proves the chain and the name
		assertThat(get(consul + "/v1/agent/self", null).statusCode()).isEqualTo(200);
		assertThat(URI.create(marathon).getScheme()).isEqualTo("https");
		HttpClient plain = HttpClient.newHttpClient();
		assertThat(catchThrowable(
				() -> plain.send(HttpRequest.newBuilder(URI.create(consul + "/v1/status/leader")).build(),
						HttpResponse.BodyHandlers.ofString())))
			.as("the JVM's default trust store does not know the operator's CA")
			.isInstanceOf(SSLHandshakeException.class);
	}

	private static HttpResponse<String> get(String url, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
