package io.github.redisonmesos.broker.instance.operations;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.redisonmesos.broker.binding.BindingRecords;
import io.github.redisonmesos.broker.binding.TestBindings;
import io.github.redisonmesos.broker.catalog.CatalogProperties;
import io.github.redisonmesos.broker.catalog.InstanceParameters;
import io.github.redisonmesos.broker.catalog.RedisCatalog;
import io.github.redisonmesos.broker.catalog.TestCatalog;
import io.github.redisonmesos.broker.consul.ConsulProperties;
import io.github.redisonmesos.broker.consul.TestKvRecords;
import io.github.redisonmesos.broker.deployment.RedisAdmin;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisHa;
import io.github.redisonmesos.broker.deployment.RedisMemory;
import io.github.redisonmesos.broker.deployment.RestoreSeed;
import io.github.redisonmesos.broker.deployment.RestoreSeeds;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.instance.AdminPasswords;
import io.github.redisonmesos.broker.instance.HaSecrets;
import io.github.redisonmesos.broker.instance.InstanceCensus;
import io.github.redisonmesos.broker.instance.InstanceDeployments;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRecords;
import io.github.redisonmesos.broker.instance.Operation;
import io.github.redisonmesos.broker.instance.OrphanReconciliation;
import io.github.redisonmesos.broker.instance.ProvisionProperties;
import io.github.redisonmesos.broker.instance.ha.HaWatch;
import io.github.redisonmesos.broker.instance.ports.PortClaims;
import io.github.redisonmesos.broker.instance.ports.RedisPorts;
import io.github.redisonmesos.broker.instance.ports.StrayPortClaims;
import io.github.redisonmesos.broker.instance.volumes.VolumeReclamation;
import io.github.redisonmesos.broker.instance.volumes.VolumeStore;
import io.github.redisonmesos.broker.instance.volumes.VolumesProperties;
import io.github.redisonmesos.broker.maintenance.MaintenanceRequests;
import io.github.redisonmesos.broker.maintenance.PlanVersions;
import io.github.redisonmesos.broker.reconcile.ReconcileProperties;
import io.github.redisonmesos.broker.reconcile.Reconciliation;
import io.github.redisonmesos.broker.redis.TestRedisAcl;
import io.github.redisonmesos.broker.redis.TestRedisHa;
import io.github.redisonmesos.broker.rotation.Resealer;
import io.github.redisonmesos.broker.security.Passwords;
import io.github.redisonmesos.broker.security.SecretBox;
import io.github.redisonmesos.broker.security.TestSecrets;
import io.github.redisonmesos.broker.support.FakeConsul;
import io.github.redisonmesos.broker.support.FakeDeployer;
import io.github.redisonmesos.broker.support.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.DeleteServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.DeleteServiceInstanceResponse;
import org.springframework.cloud.servicebroker.model.instance.GetLastServiceOperationRequest;
import org.springframework.cloud.servicebroker.model.instance.GetLastServiceOperationResponse;
import org.springframework.cloud.servicebroker.model.instance.OperationState;
import org.springframework.cloud.servicebroker.model.instance.UpdateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.UpdateServiceInstanceResponse;
import org.springframework.cloud.servicebroker.service.ServiceInstanceService;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/**
 * The broker's instance side wired by hand around an in-process Consul and Marathon (its
 * ports), for tests of the services without HTTP. Two that share a {@link FakeConsul} and
 * a {@link FakeDeployer} act as two broker instances.
 */
public final class TestBroker {

	public static final ObjectMapper OBJECT_MAPPER = Jackson2ObjectMapperBuilder.json().build();

	public static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	public static final String SMALL = "7037679f-8cf6-4831-b275-13d953c85cbb";

	public static final String MEDIUM = "6928bb67-92f7-4363-bd7b-a4bd86c3bfc7";

	public final FakeConsul consul;

	public final FakeDeployer deployer;

	/** What the records deploy, for the placement repair. */
	public final InstanceDeployments deployments;

	public final MutableClock clock;

	public final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	public final SecretBox secrets;

	public final BindingRecords bindings;

	public final PortClaims portClaims;

	public final RedisCatalog catalog;

	public final RedisDiscovery discovery;

	public final Passwords passwords = new Passwords();

	public final InstanceRecords instances;

	public final AdminPasswords adminPasswords;

	public final HaSecrets haSecrets;

	private final InstanceParameters parameters;

	/** The HA administration: the real adapter for HA nodes a test runs, or a fake. */
	public final RedisHa ha;

	public final Reconciliation reconciliation;

	/** The HA instances' watch, as the scheduled HA check runs it. */
	public final HaWatch watch;

	final OperationDriver driver;

	final RedisServiceInstanceService instanceService;

	/** The backups a restored instance is filled from, by backup id. */
	public final Map<String, RestoreSeed> seeds = new ConcurrentHashMap<>();

	private final RestoreSeeds restoreSeeds = (source, backupId) -> Optional.ofNullable(this.seeds.get(backupId))
		.orElseThrow(() -> new ServiceBrokerException("no backup " + backupId + " of " + source));

	/** What every instance's Redis answers to INFO persistence. */
	public final FakeRedisPersistence redisPersistence = new FakeRedisPersistence();

	/**
	 * A Redis that says what {@link #info} holds of its persistence.
	 */
	public static final class FakeRedisPersistence implements RedisMemory {

		public volatile String info = "loading:0\r\naof_enabled:1\r\n";

		@Override
		public long usedMemory(RedisAdmin admin) {
			return 0;
		}

		@Override
		public String persistence(RedisAdmin admin) {
			return this.info.replace("\r", "");
		}

	}

	public TestBroker() {
		this(new FakeConsul(), new FakeDeployer(), new MutableClock(), TestSecrets.box());
	}

	public TestBroker(FakeConsul consul, FakeDeployer deployer, MutableClock clock, SecretBox secrets) {
		this(consul, deployer, clock, secrets, Optional.empty(), TestRedisHa.create(),
				TestCatalog.versions(TestCatalog.VERSION), TestCatalog.parameters());
	}

	/** A broker whose HA administration is the given one (a fake of the nodes). */
	public TestBroker(RedisHa ha) {
		this(new FakeConsul(), new FakeDeployer(), new MutableClock(), TestSecrets.box(), Optional.empty(), ha,
				TestCatalog.versions(TestCatalog.VERSION), TestCatalog.parameters());
	}

	/** A broker on the given Marathon whose HA administration is the given one. */
	public TestBroker(FakeDeployer deployer, RedisHa ha) {
		this(new FakeConsul(), deployer, new MutableClock(), TestSecrets.box(), Optional.empty(), ha,
				TestCatalog.versions(TestCatalog.VERSION), TestCatalog.parameters());
	}

	/**
	 * A broker that deletes removed instances' volumes from the given store after a
	 * retention of 7 days.
	 */
	public TestBroker(VolumeStore volumeStore) {
		this(new FakeConsul(), new FakeDeployer(), new MutableClock(), TestSecrets.box(), Optional.of(volumeStore),
				TestRedisHa.create(), TestCatalog.versions(TestCatalog.VERSION), TestCatalog.parameters());
	}

	/**
	 * A broker whose operator set a CA (the requests' TLS checks pass; no certificate is
	 * signed here) and whose HA administration is the given one.
	 */
	public static TestBroker withTls(RedisHa ha) {
		return new TestBroker(new FakeConsul(), new FakeDeployer(), new MutableClock(), TestSecrets.box(),
				Optional.empty(), ha, TestCatalog.versions(TestCatalog.VERSION), TestCatalog.parametersWithCa());
	}

	private TestBroker(FakeConsul consul, FakeDeployer deployer, MutableClock clock, SecretBox secrets,
			Optional<VolumeStore> volumeStore, RedisHa ha, PlanVersions versions, InstanceParameters parameters) {
		this.parameters = parameters;
		this.catalog = TestCatalog.redisCatalog(new CatalogProperties(null), versions);
		this.consul = consul;
		this.ha = ha;
		this.deployer = deployer;
		this.clock = clock;
		this.secrets = secrets;
		this.instances = TestKvRecords.instances(consul, consulProperties(""), OBJECT_MAPPER);
		this.bindings = TestKvRecords.bindings(consul, consulProperties(""), OBJECT_MAPPER);
		this.discovery = TestKvRecords.discovery(consul, consulProperties(""));
		this.adminPasswords = new AdminPasswords(secrets, this.passwords);
		this.haSecrets = new HaSecrets(secrets, this.passwords, this.adminPasswords);
		ProvisionProperties provision = new ProvisionProperties(Duration.ofMinutes(10), Duration.ofHours(1));
		this.deployments = new InstanceDeployments(deployer, this.discovery, this.catalog, parameters,
				this.adminPasswords, this.haSecrets);
		this.driver = new OperationDriver(this.instances, deployer, this.discovery, this.catalog, this.deployments,
				this.haSecrets, this.ha, provision, clock,
				new RestoreFill(new StaticListableBeanFactory(Map.of("seeds", this.restoreSeeds))
					.getBeanProvider(RestoreSeeds.class), this.redisPersistence, this.adminPasswords));
		this.watch = new HaWatch(this.discovery, ha, this.haSecrets, this.meters);
		this.portClaims = TestKvRecords.portClaims(consul, consulProperties(""), OBJECT_MAPPER);
		RedisPorts ports = new RedisPorts(this.portClaims, deployer, clock);
		// without a store volumes are left to the operator
		VolumeReclamation volumes = new VolumeReclamation(this.instances, volumeStore,
				new VolumesProperties("", "", "", Duration.ofDays(7), Duration.ofSeconds(10)), this.meters, clock);
		InstanceProvisioning provisioning = new InstanceProvisioning(this.instances, this.driver, this.catalog,
				parameters, this.adminPasswords, ports, this.haSecrets, volumes, clock);
		this.instanceService = new RedisServiceInstanceService(this.instances, this.driver, this.catalog, parameters,
				new DownsizeGuard(this.discovery, this.adminPasswords, TestRedisAcl.memory()), provisioning,
				new OperationMetrics(this.meters, clock), ports, volumes, new MaintenanceRequests(versions), clock);
		this.reconciliation = new Reconciliation(this.instances, new OrphanReconciliation(deployer, this.meters),
				new TombstoneExpiry(this.instances, provision, volumes, clock),
				new Resealer(this.instances, this.adminPasswords, this.haSecrets, this.bindings,
						TestBindings.credentials(this, "", TestBindings.ADDRESS)),
				new InstanceCensus(this.meters), new StrayPortClaims(this.portClaims, provision, clock), volumes,
				new ReconcileProperties(Duration.ofMinutes(5), false, Duration.ofSeconds(10)));
	}

	/** Another broker instance on the same Consul and Marathon, with the same key. */
	public TestBroker sibling() {
		return new TestBroker(this.consul, this.deployer, this.clock, this.secrets, Optional.empty(), this.ha,
				TestCatalog.versions(this.catalog.maintenanceVersion(null)), this.parameters);
	}

	/**
	 * The broker restarted with node templates of another maintenance version, on the
	 * same Consul and Marathon.
	 * @param version the version
	 * @return the restarted broker
	 */
	public TestBroker restartedWithVersion(String version) {
		return new TestBroker(this.consul, this.deployer, this.clock, this.secrets, Optional.empty(), this.ha,
				TestCatalog.versions(version), this.parameters);
	}

	/** Reconcile once, as the scheduled reconciliation does. */
	public Reconciliation.Report reconcile(boolean removeOrphanApps) {
		return this.reconciliation.run(removeOrphanApps);
	}

	public ServiceInstanceService instanceService() {
		return this.instanceService;
	}

	/** The Consul discovery, handing bound apps the given {@code CONSUL_APP_TOKEN}. */
	public RedisDiscovery discovery(String appToken) {
		return TestKvRecords.discovery(this.consul, consulProperties(appToken));
	}

	/** Consul settings with {@code CONSUL_APP_TOKEN} set to the given value. */
	public static ConsulProperties consulProperties(String appToken) {
		return new ConsulProperties(URI.create("http://127.0.0.1:8500"), URI.create("http://consul.example:8500"),
				"osb-redis", Duration.ofSeconds(1), "", appToken);
	}

	/**
	 * A provision request as the platform sends it; the organization and space are only
	 * read from JSON (the builder has no setter for the top-level fields).
	 */
	public static CreateServiceInstanceRequest provisionRequest(String instanceId, String planId, String organization,
			String space, boolean async) {
		ObjectNode body = OBJECT_MAPPER.createObjectNode()
			.put("service_id", SERVICE_ID)
			.put("plan_id", planId)
			.put("organization_guid", organization)
			.put("space_guid", space);
		try {
			CreateServiceInstanceRequest request = OBJECT_MAPPER.treeToValue(body, CreateServiceInstanceRequest.class);
			request.setServiceInstanceId(instanceId);
			request.setAsyncAccepted(async);
			return request;
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Provision an instance on the small plan and let it become healthy, listed by Consul
	 * at the given address.
	 */
	public void provisioned(String instanceId, String host, int port) {
		this.instanceService.createServiceInstance(provisionRequest(instanceId, SMALL, "org-1", "space-1", true))
			.block();
		this.deployer.healthy(instanceId);
		this.consul.passing(ServiceNames.of(instanceId), host, port);
		GetLastServiceOperationResponse done = this.instanceService
			.getLastOperation(GetLastServiceOperationRequest.builder().serviceInstanceId(instanceId).build())
			.block();
		if (done.getState() != OperationState.SUCCEEDED) {
			throw new IllegalStateException("provision did not succeed: " + done.getDescription());
		}
	}

	/** Ask for a provision on a plan, as the platform does. */
	public CreateServiceInstanceResponse provision(String instanceId, String planId) {
		return this.instanceService
			.createServiceInstance(provisionRequest(instanceId, planId, "org-1", "space-1", true))
			.block();
	}

	/** Ask for a plan change, as the platform does. */
	public UpdateServiceInstanceResponse update(String instanceId, String planId) {
		return this.instanceService
			.updateServiceInstance(UpdateServiceInstanceRequest.builder()
				.serviceInstanceId(instanceId)
				.serviceDefinitionId(SERVICE_ID)
				.planId(planId)
				.asyncAccepted(true)
				.build())
			.block();
	}

	/** Ask for a deprovision, as the platform does. */
	public DeleteServiceInstanceResponse deprovision(String instanceId) {
		return this.instanceService
			.deleteServiceInstance(DeleteServiceInstanceRequest.builder()
				.serviceInstanceId(instanceId)
				.serviceDefinitionId(SERVICE_ID)
				.planId(SMALL)
				.asyncAccepted(true)
				.build())
			.block();
	}

	/** Poll an operation, as the platform does. */
	public GetLastServiceOperationResponse lastOperation(String instanceId, String operation) {
		return this.instanceService
			.getLastOperation(
					GetLastServiceOperationRequest.builder().serviceInstanceId(instanceId).operation(operation).build())
			.block();
	}

	/** An instance's record. */
	public InstanceRecord record(String instanceId) {
		return this.instances.find(instanceId).orElseThrow().value();
	}

	/** The admin password of an instance, opened from its record. */
	public String adminPassword(String instanceId) {
		return this.adminPasswords.open(this.instances.find(instanceId).orElseThrow().value());
	}

	/** The operation in an instance's record. */
	public Operation operation(String instanceId) {
		return this.instances.find(instanceId).orElseThrow().value().operation();
	}

}
