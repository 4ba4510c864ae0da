package io.github.redisonmesos.localplatform.consul.acl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static io.github.redisonmesos.localplatform.consul.acl.Access.READ;
import static io.github.redisonmesos.localplatform.consul.acl.Access.WRITE;
import static io.github.redisonmesos.localplatform.consul.acl.Resource.AGENT;
import static io.github.redisonmesos.localplatform.consul.acl.Resource.KEY;
import static io.github.redisonmesos.localplatform.consul.acl.Resource.NODE;
import static io.github.redisonmesos.localplatform.consul.acl.Resource.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RulesParserTests {

	private static final Path POLICIES = Path.of("..", "manifests", "consul");

	@Test
	void readsTheBrokersShippedPolicy() throws IOException {
		assertThat(RulesParser.parse(Files.readString(POLICIES.resolve("broker-policy.hcl")))).containsExactly(
				new Rule(KEY, "osb-redis/", true, WRITE), new Rule(SERVICE, "redis-", true, READ),
				new Rule(SERVICE, "sntnl-", true, READ), new Rule(NODE, "", true, READ),
				new Rule(AGENT, "", true, READ));
	}

	@Test
	void readsTheAppsShippedPolicy() throws IOException {
		assertThat(RulesParser.parse(Files.readString(POLICIES.resolve("apps-policy.hcl")))).containsExactly(
				new Rule(SERVICE, "redis-", true, READ), new Rule(SERVICE, "sntnl-", true, READ),
				new Rule(NODE, "", true, READ));
	}

	@Test
	void readsMarathonConsulsShippedPolicy() throws IOException {
		assertThat(RulesParser.parse(Files.readString(POLICIES.resolve("marathon-consul-policy.hcl")))).containsExactly(
				new Rule(SERVICE, "", true, WRITE), new Rule(NODE, "", true, READ), new Rule(AGENT, "", true, READ));
	}

	@Test
	void readsCommentsOnOneLineAndExactRules() {
		List<Rule> rules = RulesParser.parse("""
				// a comment
				key "a#b" { policy = "deny" } # after a rule
				service "web"{policy="write"}
				""");
		assertThat(rules).containsExactly(new Rule(KEY, "a#b", false, Access.DENY),
				new Rule(SERVICE, "web", false, WRITE));
	}

	@Test
	void refusesWhatItDoesNotKnowNamingTheLine() {
		assertThatThrownBy(() -> RulesParser.parse("key_prefix \"\" { policy = \"read\" }\noperator = \"read\"\n"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("line 2");
		assertThatThrownBy(() -> RulesParser.parse("service_prefix \"\" {\n  policy = \"list\"\n}"))
			.hasMessageContaining("line 2")
			.hasMessageContaining("\"list\"");
		assertThatThrownBy(() -> RulesParser.parse("service_prefix \"\" { policy = \"read\" intentions = \"read\" }"))
			.isInstanceOf(IllegalArgumentException.class);
	}

}
