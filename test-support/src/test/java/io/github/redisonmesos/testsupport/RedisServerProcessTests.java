package io.github.redisonmesos.testsupport;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RedisServerProcessTests {

	@TempDir
	Path dir;

	@Test
	void startedServerAnswersAsItsUserAndIsGoneAfterStop() {
		RedisServerProcess redis = RedisServerProcess
			.redisServer(FreePorts.next(),
					List.of("--save", "", "--dir", this.dir.toString(), "--user", "default", "off", "--user", "tester",
							"on", ">tester-pa55", "~*", "&*", "+@all"))
			.log(this.dir.resolve("redis.log"))
			.user("tester", "tester-pa55")
			.start();
		try (redis; Jedis jedis = redis.admin()) {
			assertThat(jedis.set("k", "v")).isEqualTo("OK");
			assertThat(redis.isUp()).isTrue();
		}
		assertThat(redis.isUp()).isFalse();
	}

	@Test
	void shellCommandRunsRedisWithTheLaunchsEnvironmentInItsDirectory() throws Exception {
		int port = FreePorts.next();
		try (RedisServerProcess redis = RedisServerProcess
			.shell(port, "exec redis-server --bind 127.0.0.1 --port \"$PORT0\" --save '' --dir .")
			.directory(this.dir)
			.environment("PORT0", Integer.toString(port))
			.log(this.dir.resolve("stdout"))
			.start(); Jedis jedis = redis.admin()) {
			assertThat(jedis.configGet("dir")).containsValue(this.dir.toRealPath().toString());
		}
	}

	@Test
	void serverThatExitsBeforeServingFailsAtOnceWithTheEndOfItsLog() {
		assertThatIllegalStateException()
			.isThrownBy(() -> RedisServerProcess.redisServer(FreePorts.next(), List.of("--no-such-option", "x"))
				.log(this.dir.resolve("redis.log"))
				.start())
			.withMessageContaining("exited")
			.withMessageContaining("no-such-option");
	}

	@Test
	void noRedisServerOnThePathNamesWhatToInstall() {
		assertThatIllegalStateException().isThrownBy(() -> RedisServerProcess.findOnPath(this.dir.toString()))
			.withMessageContaining("redis-server is not on the PATH")
			.withMessageContaining("apt-get install redis-server");
	}

}
