package io.github.redisonmesos.localplatform.consul.acl;

import java.util.List;

import org.junit.jupiter.api.Test;

import static io.github.redisonmesos.localplatform.consul.acl.Access.DENY;
import static io.github.redisonmesos.localplatform.consul.acl.Access.READ;
import static io.github.redisonmesos.localplatform.consul.acl.Access.WRITE;
import static io.github.redisonmesos.localplatform.consul.acl.Resource.KEY;
import static io.github.redisonmesos.localplatform.consul.acl.Resource.NODE;
import static io.github.redisonmesos.localplatform.consul.acl.Resource.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthorizerTests {

	@Test
	void anExactRuleBeatsEveryPrefixRule() {
		Authorizer authorizer = Authorizer
			.of(List.of(new Rule(KEY, "osb-redis/", true, WRITE), new Rule(KEY, "osb-redis/instances/x", false, DENY),
					new Rule(KEY, "osb-redis/instances/x/y", true, WRITE)));
		assertThat(authorizer.allows(KEY, READ, "osb-redis/instances/x")).isFalse();
		assertThat(authorizer.allows(KEY, WRITE, "osb-redis/instances/xy")).isTrue();
	}

	@Test
	void theLongestPrefixWins() {
		Authorizer authorizer = Authorizer.of(List.of(new Rule(KEY, "", true, READ),
				new Rule(KEY, "osb-redis/", true, WRITE), new Rule(KEY, "osb-redis/secret/", true, DENY)));
		assertThat(authorizer.allows(KEY, WRITE, "osb-redis/instances/1")).isTrue();
		assertThat(authorizer.allows(KEY, READ, "osb-redis/secret/1")).isFalse();
		assertThat(authorizer.allows(KEY, READ, "elsewhere")).isTrue();
		assertThat(authorizer.allows(KEY, WRITE, "elsewhere")).isFalse();
	}

	@Test
	void denyWinsOverWriteAndReadAtEqualLength() {
		Authorizer authorizer = Authorizer
			.of(List.of(new Rule(SERVICE, "redis-", true, WRITE), new Rule(SERVICE, "redis-", true, DENY),
					new Rule(SERVICE, "sntnl-", true, READ), new Rule(SERVICE, "sntnl-", true, WRITE)));
		assertThat(authorizer.allows(SERVICE, READ, "redis-1")).isFalse();
		assertThat(authorizer.allows(SERVICE, WRITE, "sntnl-1")).as("write beats read").isTrue();
	}

	@Test
	void writeImpliesReadAndReadGrantsNoWrite() {
		Authorizer authorizer = Authorizer
			.of(List.of(new Rule(SERVICE, "redis-", true, WRITE), new Rule(NODE, "", true, READ)));
		assertThat(authorizer.allows(SERVICE, READ, "redis-1")).isTrue();
		assertThat(authorizer.allows(NODE, READ, "local-platform")).isTrue();
		assertThat(authorizer.allows(NODE, WRITE, "local-platform")).isFalse();
	}

	@Test
	void noMatchingRuleMeansNoAccess() {
		Authorizer authorizer = Authorizer.of(List.of(new Rule(SERVICE, "redis-", true, READ)));
		assertThat(authorizer.allows(SERVICE, READ, "sntnl-1")).isFalse();
		assertThat(authorizer.allows(KEY, READ, "redis-1")).as("rules are per resource").isFalse();
		assertThatThrownBy(() -> authorizer.check(SERVICE, READ, "sntnl-1"))
			.isInstanceOf(PermissionDeniedException.class)
			.hasMessage("Permission denied: token with AccessorID '' lacks permission 'service:read' on \"sntnl-1\"");
	}

	@Test
	void writeUnderAPrefixNeedsWriteOnEveryRuleBelowIt() {
		Rule prefix = new Rule(KEY, "osb-redis/", true, WRITE);
		assertThat(Authorizer.of(List.of(prefix)).allowsWriteUnder(KEY, "osb-redis/instances/")).isTrue();
		assertThat(Authorizer.of(List.of(prefix, new Rule(KEY, "osb-redis/instances/keep", false, READ)))
			.allowsWriteUnder(KEY, "osb-redis/instances/")).isFalse();
		assertThat(Authorizer.of(List.of(new Rule(KEY, "osb-redis/instances/a", false, WRITE)))
			.allowsWriteUnder(KEY, "osb-redis/")).as("nothing governs the prefix itself").isFalse();
	}

	@Test
	void aclsOffAllowEverything() {
		assertThat(Authorizer.ACLS_OFF.allows(KEY, WRITE, "anything")).isTrue();
		assertThat(Authorizer.ACLS_OFF.namedToken()).isFalse();
	}

}
