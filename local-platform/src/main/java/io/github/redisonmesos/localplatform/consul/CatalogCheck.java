package io.github.redisonmesos.localplatform.consul;

import java.util.List;
import java.util.Map;

/**
 * A health check on a node, bound to one of its services or (empty service id) to the
 * node itself.
 */
record CatalogCheck(String node, String checkId, String name, String status, String notes, String output,
		String serviceId, String serviceName, List<String> serviceTags, Map<String, Object> definition,
		long createIndex, long modifyIndex) {

	static final String PASSING = "passing";

	CatalogCheck withStatus(String newStatus, String newOutput, long index) {
		return new CatalogCheck(this.node, this.checkId, this.name, newStatus, this.notes, newOutput, this.serviceId,
				this.serviceName, this.serviceTags, this.definition, this.createIndex, index);
	}

}
