package io.github.redisonmesos.broker.instance.ports;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.broker.deployment.PortRange;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.instance.operations.TestBroker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException;
import org.springframework.cloud.servicebroker.model.instance.OperationState;

import static io.github.redisonmesos.broker.instance.operations.TestBroker.MEDIUM;
import static io.github.redisonmesos.broker.instance.operations.TestBroker.SMALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Each instance's own host port from {@code broker.marathon.redis-ports}: claimed before
 * the record, required from Marathon, kept across plan changes, given back on
 * deprovision, never shared by two instances however many brokers provision at once.
 */
class RedisPortsTests {

	private static final String ID = "5f1e4c3a-7d2b-4e8f-9a01-23456789abcd";

	private static final String OTHER = "0a0a0a0a-0000-4000-8000-000000000001";

	private final TestBroker broker = new TestBroker();

	@BeforeEach
	void range() {
		this.broker.deployer.redisPorts(new PortRange(33000, 33029));
	}

	@Test
	void provisionClaimsAPortOfTheRangeAndDeploysRedisRequiringIt() {
		this.broker.provision(ID, SMALL);
		int port = this.broker.record(ID).port();
		assertThat(port).isBetween(33000, 33029);
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().port()).isEqualTo(port);
		assertThat(this.broker.portClaims.all()).singleElement().satisfies((claim) -> {
			assertThat(claim.port()).isEqualTo(port);
			assertThat(claim.instanceId()).isEqualTo(ID);
		});
	}

	@Test
	void withoutARangeRedisTakesTheDynamicPortAndNothingIsClaimed() {
		this.broker.deployer.redisPorts(null);
		this.broker.provision(ID, SMALL);
		assertThat(this.broker.record(ID).port()).isZero();
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().fixedPort()).isFalse();
		assertThat(this.broker.portClaims.all()).isEmpty();
	}

	@Test
	void aPlanChangeAndARetriedProvisionKeepThePort() {
		this.broker.provisioned(ID, "10.0.0.7", 33000);
		int port = this.broker.record(ID).port();
		this.broker.provision(ID, SMALL);
		this.broker.update(ID, MEDIUM);
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().planId()).isEqualTo(MEDIUM);
		assertThat(this.broker.deployer.deployment(ID).orElseThrow().port()).isEqualTo(port);
		assertThat(this.broker.record(ID).port()).isEqualTo(port);
		assertThat(this.broker.portClaims.ports()).containsExactly(port);
	}

	@Test
	void deprovisionGivesThePortBack() {
		this.broker.provisioned(ID, "10.0.0.7", 33000);
		this.broker.deprovision(ID);
		this.broker.consul.deregister(ServiceNames.of(ID));
		assertThat(this.broker.lastOperation(ID, "deprovision").getState()).isEqualTo(OperationState.SUCCEEDED);
		assertThat(this.broker.portClaims.all()).isEmpty();
	}

	@Test
	void aFullRangeRefusesTheProvisionSayingSoAndCreatesNothing() {
		this.broker.deployer.redisPorts(new PortRange(33000, 33000));
		this.broker.provision(ID, SMALL);
		List<String> callsBefore = this.broker.deployer.calls();
		assertThatExceptionOfType(ServiceBrokerException.class).isThrownBy(() -> this.broker.provision(OTHER, SMALL))
			.isNotInstanceOf(ServiceBrokerUnavailableException.class)
			.isNotInstanceOf(ServiceBrokerConcurrencyException.class)
			.withMessageContaining("No Redis port is free")
			.withMessageContaining("33000-33000")
			.withMessageContaining("BROKER_MARATHON_REDIS_PORTS");
		assertThat(this.broker.instances.find(OTHER)).isEmpty();
		assertThat(this.broker.deployer.calls()).isEqualTo(callsBefore);
		assertThat(this.broker.portClaims.ports()).containsExactly(33000);
	}

	@Test
	void twentyFourInstancesProvisionedAtOnceOverTwoBrokersGetTwentyFourPorts() throws Exception {
		TestBroker other = this.broker.sibling();
		List<String> ids = new ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(24);
		try {
			List<Future<?>> answers = new ArrayList<>();
			for (int i = 0; i < 24; i++) {
				String instanceId = UUID.randomUUID().toString();
				ids.add(instanceId);
				TestBroker target = (i % 2 == 0) ? this.broker : other;
				answers.add(pool.submit(() -> target.provision(instanceId, SMALL)));
			}
			for (Future<?> answer : answers) {
				answer.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		Set<Integer> ports = new HashSet<>();
		for (String instanceId : ids) {
			ports.add(this.broker.deployer.deployment(instanceId).orElseThrow().port());
		}
		assertThat(ports).hasSize(24).allSatisfy((port) -> assertThat(port).isBetween(33000, 33029));
		assertThat(this.broker.portClaims.ports()).isEqualTo(ports);
	}

	@Test
	void aClaimNoRecordHoldsIsGivenBackByTheReconciliationOnceItsProvisionCouldNotBeRunning() {
		// a broker that crashed between claiming a port and writing the record
		this.broker.portClaims.claim(33007, OTHER, this.broker.clock.instant());
		this.broker.provisioned(ID, "10.0.0.7", 33000);
		assertThat(this.broker.reconcile(false).portsReleased()).isZero();
		assertThat(this.broker.portClaims.ports()).contains(33007);
		this.broker.clock.advance(Duration.ofMinutes(11));
		assertThat(this.broker.reconcile(false).portsReleased()).isEqualTo(1);
		assertThat(this.broker.portClaims.ports()).containsExactly(this.broker.record(ID).port());
	}

	@Test
	void aPortIsGivenBackOnlyByItsHolder() {
		this.broker.portClaims.claim(33001, ID, Instant.now());
		this.broker.portClaims.release(33001, OTHER);
		assertThat(this.broker.portClaims.ports()).containsExactly(33001);
		this.broker.portClaims.release(33001, ID);
		assertThat(this.broker.portClaims.ports()).isEmpty();
	}

}
