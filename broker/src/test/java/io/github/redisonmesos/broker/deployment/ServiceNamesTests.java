package io.github.redisonmesos.broker.deployment;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceNamesTests {

	// the longest instance id the broker accepts (RequestIds.MAX_LENGTH)
	private static final String LONGEST_ID = "a".repeat(57);

	@Test
	void bothServiceNamesOfTheLongestInstanceIdFitADnsLabel() {
		assertThat(ServiceNames.of(LONGEST_ID)).hasSizeLessThanOrEqualTo(ServiceNames.MAX_LABEL_LENGTH);
		assertThat(ServiceNames.sentinelOf(LONGEST_ID)).hasSizeLessThanOrEqualTo(ServiceNames.MAX_LABEL_LENGTH);
		assertThat(ServiceNames.sentinelOf("abc")).isEqualTo("sntnl-abc").isNotEqualTo(ServiceNames.of("abc"));
	}

	@Test
	void thePrefixOfEachServiceIsTheOneAPolicysServicePrefixRuleGrants() {
		assertThat(ServiceNames.prefixOf(ServiceNames.of("abc"))).isEqualTo("redis-");
		assertThat(ServiceNames.prefixOf(ServiceNames.sentinelOf("abc"))).isEqualTo("sntnl-");
		assertThat(ServiceNames.prefixOf("consul")).isEqualTo("consul");
	}

	@Test
	void theNodeTagNamesTheNodeAndReadsBack() {
		assertThat(ServiceNames.nodeTag(2)).isEqualTo("node-2");
		assertThat(ServiceNames.nodeOf(ServiceNames.nodeTag(2))).hasValue(2);
		assertThat(ServiceNames.nodeOf("node-10")).hasValue(10);
	}

	@Test
	void anyOtherTagNamesNoNode() {
		assertThat(ServiceNames.nodeOf("marathon")).isEmpty();
		assertThat(ServiceNames.nodeOf("marathon-task:osb-redis_a.node-1.123")).isEmpty();
		assertThat(ServiceNames.nodeOf("node-")).isEmpty();
		assertThat(ServiceNames.nodeOf("node--1")).isEmpty();
		assertThat(ServiceNames.nodeOf("node-1a")).isEmpty();
		assertThat(ServiceNames.nodeOf("node-99999999999")).isEmpty();
	}

}
