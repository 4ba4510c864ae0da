package io.github.redisonmesos.broker.deployment;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HaDeploymentTests {

	@Test
	void nodeZeroStartsAloneUntilASentinelIsListed() {
		assertThat(ha(List.of()).nodesToStart()).isEqualTo(1);
	}

	@Test
	void everyNodeStartsOnceASentinelIsListed() {
		HaNode nodeZero = new HaNode(0, new RedisEndpoint("10.0.1.1", 31000), new RedisEndpoint("10.0.1.1", 31001));
		assertThat(ha(List.of(nodeZero)).nodesToStart()).isEqualTo(3);
	}

	private static HaDeployment ha(List<HaNode> listed) {
		return new HaDeployment("m", 2, Duration.ofSeconds(5), Duration.ofSeconds(60), "repl", "0".repeat(64),
				"sentinel", "0".repeat(64), Collections.nCopies(3, new HaDeployment.NodeSpec(0, 0, List.of())), listed);
	}

}
