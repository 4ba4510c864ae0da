package io.github.redisonmesos.localplatform.marathonconsul;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.redisonmesos.localplatform.marathon.TaskInfo;
import io.github.redisonmesos.localplatform.marathon.TaskInfo.HealthCheck;
import io.github.redisonmesos.localplatform.marathonconsul.ConsulChecks.Check;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * marathon-consul's translation of Marathon health checks into Consul checks
 * ({@code consul/consul.go} and {@code TestMarathonTaskToConsulServiceMapping} in
 * {@code consul/consul_test.go} at {@code b95d95f}).
 */
class ConsulChecksTests {

	@Test
	void eachTranslatableHealthCheckProbesThePortItNames() {
		TaskInfo task = task(List.of(8090, 8443), check("HTTP", 0, 8123, "/api/health?with=query", null, 60),
				check("HTTP", 0, null, "", null, 60), check("INVALID_PROTOCOL", 0, null, "/x", null, 60),
				check("HTTPS", 0, null, "/secure/health?with=query", null, 50), check("TCP", 1, null, "/", null, 40),
				check("MESOS_TCP", 0, 8234, "/", null, 40), check("COMMAND", 0, null, "/", "echo 1", 30));
		assertThat(ConsulChecks.of(task)).containsExactly(
				new Check(0,
						Map.of("HTTP", "http://127.0.0.1:8123/api/health?with=query", "Interval", "1m0s", "Timeout",
								"20s")),
				new Check(1, Map.of("HTTP", "http://127.0.0.1:8090/", "Interval", "1m0s", "Timeout", "20s")),
				new Check(3,
						Map.of("HTTP", "https://127.0.0.1:8090/secure/health?with=query", "Interval", "50s", "Timeout",
								"20s")),
				new Check(4, Map.of("TCP", "127.0.0.1:8443", "Interval", "40s", "Timeout", "20s")),
				new Check(5, Map.of("TCP", "127.0.0.1:8234", "Interval", "40s", "Timeout", "20s")),
				new Check(6, Map.of("ScriptArgs", List.of("echo 1"), "Interval", "30s", "Timeout", "20s")));
	}

	@Test
	void checkOnAPortIndexTheTaskLacksIsLeftOutCommandChecksIncluded() {
		TaskInfo task = task(List.of(8090), check("MESOS_TCP", 1, null, "/", null, 2),
				check("COMMAND", 1, null, "/", "true", 2), check("HTTP", 0, null, "relative", null, 2),
				check("MESOS_TCP", 0, null, "/", null, 2));
		assertThat(ConsulChecks.of(task)).extracting(Check::healthCheck).containsExactly(3);
	}

	@Test
	void commandChecksGetTheTasksPortsAndHostSubstituted() {
		TaskInfo task = task(List.of(8090, 8443),
				check("COMMAND", 0, null, "/", "redis-cli -h $HOST -p $PORT1 ping && nc -z $HOST ${PORT0}", 2));
		assertThat(ConsulChecks.of(task).get(0).definition().get("ScriptArgs"))
			.isEqualTo(List.of("redis-cli -h 127.0.0.1 -p 8443 ping && nc -z 127.0.0.1 ${PORT0}"));
	}

	@Test
	void durationsReadAsGoPrintsThem() {
		assertThat(ConsulChecks.goDuration(Duration.ofSeconds(0))).isEqualTo("0s");
		assertThat(ConsulChecks.goDuration(Duration.ofSeconds(59))).isEqualTo("59s");
		assertThat(ConsulChecks.goDuration(Duration.ofSeconds(90))).isEqualTo("1m30s");
		assertThat(ConsulChecks.goDuration(Duration.ofSeconds(3600))).isEqualTo("1h0m0s");
	}

	@Test
	void agentNumbersTheChecksOfAServiceOnlyWhenItHasSeveral() {
		assertThat(MarathonConsulBridge.checkId("t_redis_31000", 0, 1)).isEqualTo("service:t_redis_31000");
		assertThat(MarathonConsulBridge.checkId("t_redis_31000", 1, 2)).isEqualTo("service:t_redis_31000:2");
	}

	private static TaskInfo task(List<Integer> ports, HealthCheck... checks) {
		return new TaskInfo("someTask", "/someApp", Map.of("consul", "true"), "127.0.0.1", ports, List.of(),
				List.of(checks));
	}

	private static HealthCheck check(String protocol, int portIndex, Integer port, String path, String command,
			int intervalSeconds) {
		return new HealthCheck(protocol, portIndex, port, path, command, Duration.ofSeconds(intervalSeconds),
				Duration.ofSeconds(20), null);
	}

}
