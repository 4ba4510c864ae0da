package io.github.redisonmesos.broker.redis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.github.redisonmesos.broker.binding.RedisUsers;
import io.github.redisonmesos.broker.deployment.RedisAdmin;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisUnavailableException;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.testsupport.FreePorts;
import io.github.redisonmesos.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Redis user administration against a real redis-server started without the app
 * template, for the failures an operator's own template can cause.
 */
class RedisAclTests {

	private static final String ADMIN_PASSWORD = "Adm1nAdm1nAdm1nAdm1nAdm1nAdm1nAdm1nAdm1n";

	private static final List<String> RULES = List.of("~*", "&*", "+@all", "-@admin", "-@dangerous");

	@TempDir
	Path dir;

	private final RedisUsers acl = TestRedisAcl.create();

	private RedisServerProcess redis;

	@AfterEach
	void stop() {
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	void aRedisWithoutAnAclFileIsABrokerErrorNamingTheTemplate() throws Exception {
		RedisEndpoint redis = start();
		assertThatExceptionOfType(ServiceBrokerException.class)
			.isThrownBy(() -> this.acl.put(admin(redis, ADMIN_PASSWORD), "b-1", Passwords.redisHash("pw"), RULES))
			.isNotInstanceOf(RedisUnavailableException.class)
			.withMessageContaining("--aclfile")
			.withMessageContaining("broker.marathon.app-template");
	}

	@Test
	void anAdminPasswordRedisRefusesIsABrokerErrorThatNamesNoPassword() throws Exception {
		RedisEndpoint redis = start();
		assertThatExceptionOfType(ServiceBrokerException.class)
			.isThrownBy(() -> this.acl.delete(admin(redis, "wrong-password"), "b-1"))
			.isNotInstanceOf(RedisUnavailableException.class)
			.withMessageContaining("refuses the broker's admin user osb-admin")
			.withMessageNotContaining("wrong-password");
	}

	@Test
	void aRedisNobodyListensForIsUnavailableAndCertainlyUnchanged() throws Exception {
		RedisEndpoint nobody = new RedisEndpoint("127.0.0.1", FreePorts.next());
		assertThatExceptionOfType(RedisUnavailableException.class)
			.isThrownBy(() -> this.acl.put(admin(nobody, ADMIN_PASSWORD), "b-1", Passwords.redisHash("pw"), RULES))
			.withMessageContaining("retry in a minute")
			.satisfies((ex) -> assertThat(ex.mayHaveApplied()).isFalse());
	}

	@Test
	void deletingAUserThatDoesNotExistIsFine() throws Exception {
		RedisEndpoint redis = start("--aclfile", this.dir.resolve("users.acl").toString());
		this.acl.delete(admin(redis, ADMIN_PASSWORD), "b-never-created");
	}

	private static RedisAdmin admin(RedisEndpoint redis, String password) {
		return new RedisAdmin(redis, InstanceRecord.ADMIN_USER, password);
	}

	private RedisEndpoint start(String... extra) throws IOException {
		int port = FreePorts.next();
		java.nio.file.Files.writeString(this.dir.resolve("users.acl"),
				"user default off\nuser osb-admin on >" + ADMIN_PASSWORD + " ~* &* +@all\n");
		List<String> arguments = new java.util.ArrayList<>(
				List.of("--save", "", "--appendonly", "no", "--dir", this.dir.toString()));
		if (extra.length == 0) {
			// no ACL file: the admin user comes from the command line, as a hand-made
			// template might do it
			arguments.addAll(List.of("--user", "default", "off", "--user", "osb-admin", "on", ">" + ADMIN_PASSWORD,
					"~*", "&*", "+@all"));
		}
		arguments.addAll(List.of(extra));
		this.redis = RedisServerProcess.redisServer(port, arguments)
			.log(this.dir.resolve("redis.log"))
			.user("osb-admin", ADMIN_PASSWORD)
			.start();
		return new RedisEndpoint("127.0.0.1", port);
	}

}
