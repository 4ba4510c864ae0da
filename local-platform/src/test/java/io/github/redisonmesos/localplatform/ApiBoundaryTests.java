package io.github.redisonmesos.localplatform;

import java.net.http.HttpResponse;

import io.github.redisonmesos.testsupport.EndToEnd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.redisonmesos.localplatform.RunningPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests at the edges of the emulated subsets: each API on its own port, malformed
 * input answered as the upstream server does, and what a local run cannot do said
 * plainly.
 */
@EndToEnd
class ApiBoundaryTests {

	@RegisterExtension
	static final PlatformExtension platform = PlatformExtension.perClass();

	@Test
	void eachApiAnswersOnlyOnItsOwnPort() {
		HttpResponse<String> consulOnMarathonPort = platform.marathon("GET", "/v1/agent/self", null);
		assertThat(consulOnMarathonPort.statusCode()).isEqualTo(404);
		assertThat(consulOnMarathonPort.body()).contains("not emulated");
		HttpResponse<String> marathonOnConsulPort = platform.consul("GET", "/v2/apps", null);
		assertThat(marathonOnConsulPort.statusCode()).isEqualTo(404);
		assertThat(marathonOnConsulPort.body()).contains("not emulated");
	}

	@Test
	void commandWhoseProgramIsNotInstalledIsRejectedWithAHint() {
		HttpResponse<String> response = platform.marathon("POST", "/v2/apps",
				"{\"id\": \"/nope\", \"cmd\": \"exec no-such-program-here --port $PORT0\"}");
		assertThat(response.statusCode()).isEqualTo(422);
		assertThat(json(response).at("/details/0/path").asText()).isEqualTo("/cmd");
		assertThat(json(response).at("/details/0/errors/0").asText()).contains("no-such-program-here", "PATH");
	}

	@Test
	void criticalInstancesAreLeftOutOfPassingQueries() {
		String body = """
				{"Node": "n1", "Address": "127.0.0.1",
				 "Service": {"ID": "sick1", "Service": "sick", "Port": 1234},
				 "Check": {"CheckID": "service:sick1", "Name": "c", "Status": "critical", "ServiceID": "sick1"}}
				""";
		platform.consul("PUT", "/v1/catalog/register", body);
		assertThat(json(platform.consul("GET", "/v1/health/service/sick", null))).hasSize(1);
		assertThat(json(platform.consul("GET", "/v1/health/service/sick?passing", null))).isEmpty();
		assertThat(json(platform.consul("GET", "/v1/health/service/sick?passing=false", null))).hasSize(1);
	}

	@Test
	void malformedConsulRequestsAnswer400InPlainText() {
		HttpResponse<String> registration = platform.consul("PUT", "/v1/catalog/register", "{not json");
		assertThat(registration.statusCode()).isEqualTo(400);
		assertThat(registration.body()).startsWith("Request decode failed");
		HttpResponse<String> badWait = platform.consul("GET", "/v1/kv/zip?index=5&wait=soon", null);
		assertThat(badWait.statusCode()).isEqualTo(400);
		assertThat(badWait.body()).isEqualTo("Invalid wait time: soon");
	}

}
