package io.github.redisonmesos.broker.instance.operations;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.redisonmesos.broker.catalog.InstanceParameters;
import io.github.redisonmesos.broker.catalog.PlanProperties;
import io.github.redisonmesos.broker.catalog.RedisCatalog;
import io.github.redisonmesos.broker.deployment.TlsMode;
import io.github.redisonmesos.broker.deployment.VolumeNames;
import io.github.redisonmesos.broker.instance.AdminPasswords;
import io.github.redisonmesos.broker.instance.HaSecrets;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.InstanceRecords;
import io.github.redisonmesos.broker.instance.Operation;
import io.github.redisonmesos.broker.instance.ports.RedisPorts;
import io.github.redisonmesos.broker.instance.volumes.VolumeReclamation;
import io.github.redisonmesos.broker.osb.OriginatingIdentity;
import io.github.redisonmesos.broker.records.Versioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerInvalidParametersException;
import org.springframework.cloud.servicebroker.exception.ServiceInstanceExistsException;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceRequest;
import org.springframework.cloud.servicebroker.model.instance.CreateServiceInstanceResponse;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Provisioning. The instance's port is claimed, then its record is written to Consul KV
 * with {@code cas=0}, before Marathon is called, so of two concurrent provisions for one
 * id exactly one creates the app (the other gives its port back), and the others (and a
 * retry after a crash) answer from the record the winner wrote and make sure its app
 * exists.
 */
@Component
class InstanceProvisioning {

	private static final Logger logger = LoggerFactory.getLogger(InstanceProvisioning.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	private final InstanceRecords instances;

	private final OperationDriver driver;

	private final RedisCatalog catalog;

	private final InstanceParameters parameters;

	private final AdminPasswords adminPasswords;

	private final RedisPorts ports;

	private final HaSecrets haSecrets;

	private final VolumeReclamation volumes;

	private final Clock clock;

	InstanceProvisioning(InstanceRecords instances, OperationDriver driver, RedisCatalog catalog,
			InstanceParameters parameters, AdminPasswords adminPasswords, RedisPorts ports, HaSecrets haSecrets,
			VolumeReclamation volumes, Clock clock) {
		this.instances = instances;
		this.driver = driver;
		this.catalog = catalog;
		this.parameters = parameters;
		this.adminPasswords = adminPasswords;
		this.ports = ports;
		this.haSecrets = haSecrets;
		this.volumes = volumes;
		this.clock = clock;
	}

	/**
	 * The parameter of a restore, as the backups' front
	 * ({@code backup.BackupInstanceService}) passes it on once every check has passed:
	 * {@code {"instance": <id>, "backup": <id>}}, never {@code latest}.
	 */
	static final String RESTORE_FROM = "restore_from";

	CreateServiceInstanceResponse provision(CreateServiceInstanceRequest request) {
		String instanceId = request.getServiceInstanceId();
		PlanProperties plan = this.catalog.requirePlan(request.getPlanId());
		Map<String, Object> settings = (request.getParameters() != null) ? new HashMap<>(request.getParameters())
				: new HashMap<>();
		InstanceRecord.Restore restore = restore(settings.remove(RESTORE_FROM));
		// a bad setting creates nothing: checked before any record, port or app
		this.parameters.validate(settings);
		Map<String, Object> recorded = this.parameters.atProvision(settings);
		this.parameters.requireTlsOffered(recorded, plan.ha() != null, this.ports.fixed());
		// tls: optional: the TLS listener's own port beside the plain one
		boolean tlsPortBeside = plan.ha() == null && this.parameters.tls(recorded) == TlsMode.OPTIONAL;
		String organization = required("organization_guid", organizationGuid(request));
		String space = required("space_guid", spaceGuid(request));
		logger.info("operation=provision instance_id={} plan_id={} {}", instanceId, plan.id(),
				OriginatingIdentity.describe(request.getOriginatingIdentity()));
		Versioned<InstanceRecord> found = this.instances.find(instanceId).orElse(null);
		if (found != null && !found.value().removed()) {
			return provisionAgain(found, wanted(request, settings, restore, plan, organization, space, List.of()));
		}
		if (found != null && this.volumes.keeps(found.value())) {
			// replacing this tombstone would forget volumes the broker has yet to delete
			throw new ServiceBrokerConcurrencyException("Instance id " + instanceId + " belonged to an instance "
					+ "deleted at " + found.value().removedAt() + " whose volumes the broker has not deleted yet ("
					+ String.join(", ", found.value().volumeNames())
					+ ", see broker.volumes.retention); provision with another id, or once they are deleted.");
		}
		// a new instance, or a fresh one over the tombstone of a deleted instance with
		// this id: the ports first, so that a range with none free creates nothing
		List<Integer> ports = this.ports.claim(instanceId,
				(plan.ha() == null) ? (tlsPortBeside ? 2 : 1) : 2 * plan.nodes());
		InstanceRecord wanted = wanted(request, settings, restore, plan, organization, space, ports);
		boolean written = (found == null) ? this.instances.create(wanted) : this.instances.replace(found, wanted);
		if (!written) {
			// another request wrote a record for this id meanwhile: answer from it
			this.ports.release(ports, instanceId);
			Versioned<InstanceRecord> current = this.instances.find(instanceId)
				.filter((read) -> !read.value().removed())
				.orElseThrow(() -> new ServiceBrokerConcurrencyException(
						"Another request changed instance " + instanceId + " meanwhile; send this one again."));
			return provisionAgain(current, wanted);
		}
		this.driver.begin(wanted);
		return accepted();
	}

	// a single Redis has one port (or none: the platform's); an HA instance's nodes two
	// each
	private InstanceRecord wanted(CreateServiceInstanceRequest request, Map<String, Object> settings,
			InstanceRecord.Restore restore, PlanProperties plan, String organization, String space,
			List<Integer> ports) {
		String instanceId = request.getServiceInstanceId();
		boolean ha = plan.ha() != null;
		return new InstanceRecord(instanceId, request.getServiceDefinitionId(), plan.id(), organization, space,
				this.parameters.atProvision(settings), plan.volumeGb(), this.adminPasswords.generate(instanceId),
				Operation.start(Operation.Type.PROVISION, this.clock.instant(), "creating the Redis app"), null,
				(ha || ports.isEmpty()) ? 0 : ports.get(0),
				ha ? this.haSecrets.generate(instanceId, ports, plan.nodes()) : InstanceRecord.Topology.SINGLE,
				InstanceRecord.Volumes.inUse(ha ? VolumeNames.perNode(instanceId, volumeTag(), plan.nodes())
						: VolumeNames.single(instanceId, volumeTag())),
				null, (!ha && ports.size() > 1) ? ports.get(1) : 0, restore);
	}

	// checked by the backups' front before it passed the request on
	private static InstanceRecord.Restore restore(Object restoreFrom) {
		if (restoreFrom == null) {
			return null;
		}
		if (restoreFrom instanceof Map<?, ?> source && source.get("instance") instanceof String instance
				&& source.get("backup") instanceof String backup) {
			return new InstanceRecord.Restore(instance, backup);
		}
		throw new ServiceBrokerInvalidParametersException(
				"restore_from takes {\"instance\": \"<instance guid>\", \"backup\": \"<backup id>\"}.");
	}

	// drawn for each new instance, so its volumes are never those an earlier instance
	// with this id left behind
	private static String volumeTag() {
		byte[] bytes = new byte[4];
		RANDOM.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	// a record of a live instance exists: a repeated, concurrent or retried provision
	private CreateServiceInstanceResponse provisionAgain(Versioned<InstanceRecord> current, InstanceRecord wanted) {
		InstanceRecord existing = current.value();
		if (!existing.sameAttributes(wanted)) {
			throw new ServiceInstanceExistsException(wanted.instanceId(), wanted.serviceId());
		}
		Operation operation = existing.operation();
		if (operation.type() == Operation.Type.DEPROVISION) {
			throw new ServiceBrokerConcurrencyException(
					"Instance " + wanted.instanceId() + " is being deleted; wait for the deletion to finish.");
		}
		if (operation.failed(Operation.Type.PROVISION)) {
			// a retry after a failure starts over with the same password, port and volume
			InstanceRecord retry = existing.withOperation(
					Operation.start(Operation.Type.PROVISION, this.clock.instant(), "creating the Redis app again"));
			this.instances.replaceOrConflict(current, retry);
			logger.info("operation=provision_retry instance_id={}", wanted.instanceId());
			this.driver.begin(retry);
			return accepted();
		}
		if (operation.inProgress(Operation.Type.PROVISION)) {
			// the platform sent the request again, perhaps because this broker crashed
			// after writing the record: make sure the app exists
			this.driver.resume(existing);
			return accepted();
		}
		return CreateServiceInstanceResponse.builder().instanceExisted(true).async(false).build();
	}

	private static String required(String field, String value) {
		if (!StringUtils.hasText(value)) {
			throw new ServiceBrokerInvalidParametersException("The provision request has no " + field
					+ "; OSB 2.16 requires organization_guid and space_guid at the top level of the body.");
		}
		return value;
	}

	// OSB 2.16 requires both at the top level (CF sends them there and in the context)
	@SuppressWarnings("deprecation")
	private static String organizationGuid(CreateServiceInstanceRequest request) {
		return request.getOrganizationGuid();
	}

	@SuppressWarnings("deprecation")
	private static String spaceGuid(CreateServiceInstanceRequest request) {
		return request.getSpaceGuid();
	}

	private static CreateServiceInstanceResponse accepted() {
		return CreateServiceInstanceResponse.builder().async(true).operation(Operation.Type.PROVISION.token()).build();
	}

}
