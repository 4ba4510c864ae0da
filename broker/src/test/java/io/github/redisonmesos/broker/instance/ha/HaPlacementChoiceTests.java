package io.github.redisonmesos.broker.instance.ha;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.redisonmesos.broker.deployment.HaRole;
import io.github.redisonmesos.broker.deployment.HaState;
import io.github.redisonmesos.broker.deployment.NodePlacement;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which node of an HA instance is moved for its placement: never the primary, the newer
 * of two replicas on one agent, a replica whose constraint misses where another node runs
 * now, and nothing while the instance is not whole or a node deploys.
 */
class HaPlacementChoiceTests {

	private static final Instant EARLIER = Instant.parse("2025-01-01T00:00:00Z");

	private static final Instant LATER = Instant.parse("2025-01-01T00:05:00Z");

	private static final HaState WHOLE_0_PRIMARY = state(true, HaRole.PRIMARY, HaRole.REPLICA, HaRole.REPLICA);

	@Test
	void nodesApartWithCurrentConstraintsStayWhereTheyAre() {
		assertThat(HaPlacementChoice.choose(
				List.of(node("a", EARLIER, "b", "c"), node("b", EARLIER, "a", "c"), node("c", EARLIER, "a", "b")),
				WHOLE_0_PRIMARY))
			.isEmpty();
	}

	@Test
	void aReplicaOnThePrimarysAgentMovesNeverThePrimary() {
		// node-0, the primary, came back beside node-1 under a stale constraint
		Optional<HaPlacementChoice.Move> move = HaPlacementChoice.choose(
				List.of(node("b", LATER), node("b", EARLIER, "a", "c"), node("c", EARLIER, "a", "b")),
				state(true, HaRole.PRIMARY, HaRole.REPLICA, HaRole.REPLICA));
		assertThat(move).hasValueSatisfying((moved) -> {
			assertThat(moved.node()).isEqualTo(1);
			assertThat(moved.reason()).isEqualTo("shares agent b with node-0");
		});
	}

	@Test
	void ofTwoReplicasOnOneAgentTheNewerMoves() {
		Optional<HaPlacementChoice.Move> move = HaPlacementChoice.choose(
				List.of(node("a", EARLIER, "b", "c"), node("c", LATER, "a"), node("c", EARLIER, "a", "b")),
				WHOLE_0_PRIMARY);
		assertThat(move).hasValueSatisfying((moved) -> assertThat(moved.node()).isEqualTo(1));
	}

	@Test
	void aReplicaWhoseConstraintMissesAnotherNodesAgentIsRedeployed() {
		// node-1 was deployed before node-2 had an agent: its replacement could land
		// there
		Optional<HaPlacementChoice.Move> move = HaPlacementChoice.choose(
				List.of(node("a", EARLIER), node("b", EARLIER, "a"), node("c", EARLIER, "a", "b")), WHOLE_0_PRIMARY);
		assertThat(move).hasValueSatisfying((moved) -> {
			assertThat(moved.node()).isEqualTo(1);
			assertThat(moved.reason()).contains("does not keep it off c");
		});
	}

	@Test
	void thePrimaryIsNeverRestartedForAStaleConstraint() {
		assertThat(HaPlacementChoice.choose(
				List.of(node("a", EARLIER), node("b", EARLIER, "a", "c"), node("c", EARLIER, "a", "b")),
				WHOLE_0_PRIMARY))
			.isEmpty();
	}

	@Test
	void nothingMovesWhileTheInstanceIsNotWholeOrANodeDeploysOrWaitsForAnAgent() {
		List<Optional<NodePlacement>> shared = List.of(node("a", EARLIER), node("a", LATER), node("c", EARLIER));
		assertThat(HaPlacementChoice.choose(shared, state(false, HaRole.PRIMARY, HaRole.SYNCING, HaRole.REPLICA)))
			.isEmpty();
		assertThat(HaPlacementChoice.choose(List.of(node("a", EARLIER), node("a", LATER),
				Optional.of(new NodePlacement(List.of("c"), EARLIER, Set.of(), true))), WHOLE_0_PRIMARY))
			.isEmpty();
		assertThat(HaPlacementChoice.choose(List.of(node("a", EARLIER), node("a", LATER),
				Optional.of(new NodePlacement(List.of(), EARLIER, Set.of("a"), false))), WHOLE_0_PRIMARY))
			.isEmpty();
		assertThat(HaPlacementChoice.choose(List.of(node("a", EARLIER), node("a", LATER), Optional.empty()),
				WHOLE_0_PRIMARY))
			.isEmpty();
	}

	@Test
	void aProvisionWaitsForANodeOtherThanThePrimaryWithAStaleConstraintWhateverItsRoleReads() {
		// node-0 right after its switch-over: node-1 the primary, node-0 still syncing,
		// so choose moves nothing yet
		List<Optional<NodePlacement>> switched = List.of(node("a", EARLIER), node("b", EARLIER, "a", "c"),
				node("c", EARLIER, "a", "b"));
		HaState syncing = state(true, HaRole.SYNCING, HaRole.PRIMARY, HaRole.REPLICA);
		assertThat(HaPlacementChoice.choose(switched, syncing)).isEmpty();
		assertThat(HaPlacementChoice.unsettled(switched, syncing))
			.hasValue("node-0 (syncing) does not keep off b, c yet");
		// the primary needs none; a node app still deploying is waited for
		assertThat(HaPlacementChoice.unsettled(switched, WHOLE_0_PRIMARY)).isEmpty();
		assertThat(HaPlacementChoice.unsettled(
				List.of(node("a", EARLIER, "b", "c"), node("b", EARLIER, "a", "c"),
						Optional.of(new NodePlacement(List.of("c"), EARLIER, Set.of("a", "b"), true))),
				WHOLE_0_PRIMARY))
			.hasValue("waiting for Marathon to settle the node apps");
		assertThat(HaPlacementChoice.unsettled(
				List.of(node("a", EARLIER, "b", "c"), node("b", EARLIER, "a", "c"), node("c", EARLIER, "a", "b")),
				syncing))
			.isEmpty();
	}

	private static Optional<NodePlacement> node(String host, Instant since, String... avoided) {
		return Optional.of(new NodePlacement(List.of(host), since, Set.of(avoided), false));
	}

	private static HaState state(boolean whole, HaRole... roles) {
		Map<Integer, HaRole> byNode = Map.of(0, roles[0], 1, roles[1], 2, roles[2]);
		return new HaState(Optional.of(new RedisEndpoint("a", 1)), whole ? 2 : 1, 3, 3, byNode);
	}

}
