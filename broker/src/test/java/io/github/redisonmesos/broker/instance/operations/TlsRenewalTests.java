package io.github.redisonmesos.broker.instance.operations;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.github.redisonmesos.broker.consul.TestKvRecords;
import io.github.redisonmesos.broker.deployment.TlsMode;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.Operation;
import io.github.redisonmesos.broker.instance.OperationProgress;
import io.github.redisonmesos.broker.instance.ha.HaCertificateRenewal;
import io.github.redisonmesos.broker.records.Versioned;
import io.github.redisonmesos.broker.tls.InstanceCertificates;
import io.github.redisonmesos.broker.tls.InstanceTlsProperties;
import io.github.redisonmesos.broker.tls.TestCa;
import io.github.redisonmesos.broker.tls.TlsDelivery;
import io.github.redisonmesos.broker.tls.TlsDeliveryRecords;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The renewal's own operations: started when a delivered certificate is due, one at a
 * time, and polled to their end by the broker itself (the platform never asked for them,
 * so it never polls them), while an update the platform asked for is left to the
 * platform's polls.
 */
class TlsRenewalTests {

	private static final String ID = "3f9c2a71-5b8d-4e6f-9a1b-2c3d4e5f6a7b";

	private final TestBroker broker = new TestBroker();

	private TlsDeliveryRecords deliveries;

	private TlsRenewal renewal;

	@BeforeEach
	void aSingleRedisWithTls() throws Exception {
		this.broker.provisioned(ID, "10.0.0.7", 31000);
		Versioned<InstanceRecord> current = this.broker.instances.find(ID).orElseThrow();
		Map<String, Object> parameters = new HashMap<>(current.value().parameters());
		parameters.put("tls", "required");
		this.broker.instances.replaceOrConflict(current, current.value().withParameters(parameters));
		TestCa ca = TestCa.generate("EC", "Operator EC CA");
		// 10 days valid, renewed 2 days before (the test CA's 30 days cap nothing)
		InstanceCertificates certificates = new InstanceCertificates(new InstanceTlsProperties(ca.certificatePem(),
				ca.privateKeyPem(), TlsMode.DISABLED, Duration.ofDays(10), Duration.ofDays(2)));
		this.deliveries = TestKvRecords.tlsDeliveries(this.broker.consul, TestBroker.consulProperties(""),
				TestBroker.OBJECT_MAPPER);
		this.renewal = new TlsRenewal(this.broker.instances, this.broker.driver, this.deliveries, certificates,
				new HaCertificateRenewal(this.deliveries, certificates), this.broker.instanceService,
				this.broker.clock);
	}

	@Test
	void aRenewalItStartsIsPolledToItsEndWithoutThePlatform() {
		Instant now = Instant.now();
		this.deliveries.put(new TlsDelivery(ID, "a", now.minus(Duration.ofDays(1)), now.minus(Duration.ofDays(1))));
		assertThat(this.renewal.renew(this.broker.instances.all())).as("not due yet").isZero();
		this.deliveries.put(new TlsDelivery(ID, "a", now.minus(Duration.ofDays(9)), now.minus(Duration.ofDays(9))));
		int calls = this.broker.deployer.calls().size();
		assertThat(this.renewal.renew(this.broker.instances.all())).isEqualTo(1);
		assertThat(this.broker.operation(ID).inProgress(Operation.Type.UPDATE)).isTrue();
		assertThat(this.broker.operation(ID).description())
			.startsWith("renewing the TLS certificate, which expires at ");
		assertThat(this.broker.deployer.calls().subList(calls, this.broker.deployer.calls().size()))
			.containsExactly("redeploy " + ID + " " + TestBroker.SMALL);
		assertThat(this.renewal.renew(this.broker.instances.all())).as("one operation at a time").isZero();

		// Marathon still starting the task: polled, still in progress
		assertThat(this.renewal.drive(this.broker.instances.all())).isEqualTo(1);
		assertThat(this.broker.operation(ID).inProgress()).isTrue();
		this.broker.deployer.healthy(ID);
		assertThat(this.renewal.drive(this.broker.instances.all())).isEqualTo(1);
		assertThat(this.broker.operation(ID).state()).isEqualTo(Operation.State.SUCCEEDED);
		assertThat(this.renewal.drive(this.broker.instances.all())).as("nothing left to poll").isZero();
	}

	@Test
	void anUpdateThePlatformAskedForIsLeftToThePlatformsPolls() {
		// an update as the request writes it (its checks need a CA this test broker has
		// not)
		Versioned<InstanceRecord> current = this.broker.instances.find(ID).orElseThrow();
		this.broker.instances.replaceOrConflict(current, current.value()
			.withOperation(
					Operation.start(Operation.Type.UPDATE, this.broker.clock.instant(), OperationProgress.RESTARTING)));
		this.broker.deployer.healthy(ID);
		assertThat(this.renewal.drive(this.broker.instances.all())).isZero();
		assertThat(this.broker.operation(ID).inProgress(Operation.Type.UPDATE)).isTrue();
	}

}
