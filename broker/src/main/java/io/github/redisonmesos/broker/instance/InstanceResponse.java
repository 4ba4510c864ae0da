package io.github.redisonmesos.broker.instance;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.cloud.servicebroker.model.catalog.MaintenanceInfo;
import org.springframework.cloud.servicebroker.model.instance.GetServiceInstanceResponse;

/**
 * {@code GET /v2/service_instances/:id} with the instance's {@code maintenance_info} (OSB
 * 2.15+), which the framework's response does not carry.
 */
public class InstanceResponse extends GetServiceInstanceResponse {

	@JsonProperty("maintenance_info")
	@JsonInclude(JsonInclude.Include.NON_NULL)
	private final MaintenanceInfo maintenanceInfo;

	public InstanceResponse(String serviceId, String planId, Map<String, Object> parameters,
			MaintenanceInfo maintenanceInfo) {
		super(serviceId, planId, null, parameters);
		this.maintenanceInfo = maintenanceInfo;
	}

	/**
	 * The maintenance version every node of the instance runs.
	 * @return it, {@code null} when the record has none
	 */
	MaintenanceInfo getMaintenanceInfo() {
		return this.maintenanceInfo;
	}

	/**
	 * The same response with other parameters (the backups' list added to them), its
	 * {@code maintenance_info} kept.
	 * @param parameters the parameters to answer
	 * @return a new response
	 */
	public InstanceResponse withParameters(Map<String, Object> parameters) {
		return new InstanceResponse(getServiceDefinitionId(), getPlanId(), parameters, this.maintenanceInfo);
	}

}
