package io.github.redisonmesos.broker.catalog;

import java.util.Map;
import java.util.Optional;

import io.github.redisonmesos.broker.maintenance.PlanVersions;

import org.springframework.cloud.servicebroker.exception.ServiceDefinitionPlanDoesNotExistException;
import org.springframework.cloud.servicebroker.model.catalog.Catalog;
import org.springframework.cloud.servicebroker.model.catalog.MethodSchema;
import org.springframework.cloud.servicebroker.model.catalog.Plan;
import org.springframework.cloud.servicebroker.model.catalog.Schemas;
import org.springframework.cloud.servicebroker.model.catalog.ServiceDefinition;
import org.springframework.cloud.servicebroker.model.catalog.ServiceInstanceSchema;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one service this broker offers, and lookup of a plan's resources by plan id.
 */
@Configuration(proxyBeanMethods = false)
public class RedisCatalog {

	/** Service id from docs/INTERFACES.md; CF stores it, so it never changes. */
	public static final String SERVICE_ID = "67501925-8bc8-47c3-955c-c1afc8891669";

	private final CatalogProperties properties;

	private final InstanceParameters parameters;

	private final PlanVersions versions;

	RedisCatalog(CatalogProperties properties, InstanceParameters parameters, PlanVersions versions) {
		this.properties = properties;
		this.parameters = parameters;
		this.versions = versions;
	}

	@Bean
	Catalog catalog() {
		// one schema for every plan, provision and update alike: the one requests are
		// validated against
		MethodSchema settings = MethodSchema.builder().parameters(this.parameters.schema()).build();
		Schemas schemas = Schemas.builder()
			.serviceInstanceSchema(
					ServiceInstanceSchema.builder().createMethodSchema(settings).updateMethodSchema(settings).build())
			.build();
		Plan[] plans = this.properties.plans()
			.stream()
			.map((plan) -> Plan.builder()
				.id(plan.id())
				.name(plan.name())
				.description((plan.description() != null) ? plan.description() : plan.name())
				.free(true)
				// bindable and plan_updateable come from the service: every plan is alike
				.metadata(Map.of("memMb", plan.memMb(), "cpus", plan.cpus(), "maxmemory", plan.maxmemory(), "nodes",
						plan.nodes(), "volumeGb", plan.volumeGb()))
				.schemas(schemas)
				// every plan runs the same node templates: one version
				.maintenanceInfo(this.versions.info())
				.build())
			.toArray(Plan[]::new);
		ServiceDefinition redis = ServiceDefinition.builder()
			.id(SERVICE_ID)
			.name("redis")
			.description("A dedicated Redis on Mesos/Marathon with a persistent volume, found through Consul")
			.tags("redis", "key-value")
			.bindable(true)
			.instancesRetrievable(true)
			.bindingsRetrievable(true)
			.planUpdateable(true)
			.plans(plans)
			.build();
		return Catalog.builder().serviceDefinitions(redis).build();
	}

	/**
	 * The maintenance version a plan's instances are deployed with now.
	 * @param planId a plan id
	 * @return the version, e.g. {@code 1.1.0}
	 */
	public String maintenanceVersion(String planId) {
		return this.versions.version().text();
	}

	/**
	 * The plan with this id.
	 * @param planId a plan id
	 * @return the plan, empty when the catalog has no such plan
	 */
	public Optional<PlanProperties> plan(String planId) {
		return this.properties.plans().stream().filter((plan) -> plan.id().equals(planId)).findFirst();
	}

	/**
	 * The plan with this id, which must exist.
	 * @param planId a plan id
	 * @return the plan
	 * @throws ServiceDefinitionPlanDoesNotExistException naming the id (answered as 400)
	 */
	public PlanProperties requirePlan(String planId) {
		return plan(planId).orElseThrow(() -> new ServiceDefinitionPlanDoesNotExistException(planId));
	}

}
