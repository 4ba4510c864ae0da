package io.github.redisonmesos.broker.maintenance;

import org.springframework.cloud.servicebroker.model.catalog.MaintenanceInfo;
import org.springframework.stereotype.Component;

/**
 * The maintenance version every plan advertises: the operator's
 * {@code broker.maintenance.version}, standing for the node templates the broker renders
 * now ({@link TemplateVersionCheck} holds the two together).
 */
@Component
public class PlanVersions {

	private final MaintenanceVersion version;

	private final String description;

	private final NodeTemplates templates;

	public PlanVersions(MaintenanceProperties properties, NodeTemplates templates) {
		this.version = MaintenanceVersion.parse(properties.version());
		this.templates = templates;
		this.description = (properties.description() == null || properties.description().isBlank())
				? "Redis image " + String.join(", ", templates.images()) + "; node templates " + templates.digest()
				: properties.description();
	}

	/**
	 * The version the nodes of every plan are deployed with now.
	 * @return the version
	 */
	public MaintenanceVersion version() {
		return this.version;
	}

	/**
	 * The catalog's {@code maintenance_info} of each plan.
	 * @return version and description
	 */
	public MaintenanceInfo info() {
		return MaintenanceInfo.builder().version(this.version.text()).description(this.description).build();
	}

	NodeTemplates templates() {
		return this.templates;
	}

}
