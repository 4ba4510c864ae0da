package io.github.redisonmesos.localplatform.consul;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders catalog entries in the shapes of Consul's responses (see the fixtures
 * {@code catalog_service.response.json} and {@code health_service.response.json}).
 */
final class ConsulJson {

	private ConsulJson() {
	}

	static Map<String, Object> catalogEntry(CatalogService entry, CatalogNode node, String datacenter) {
		ServiceRegistration service = entry.service();
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("ID", node.id());
		json.put("Node", node.name());
		json.put("Address", node.address());
		json.put("Datacenter", datacenter);
		json.put("TaggedAddresses", node.taggedAddresses());
		json.put("NodeMeta", node.meta());
		json.put("CreateIndex", entry.createIndex());
		json.put("ModifyIndex", entry.modifyIndex());
		json.put("ServiceAddress", service.address());
		json.put("ServiceEnableTagOverride", false);
		json.put("ServiceID", service.id());
		json.put("ServiceName", service.name());
		json.put("ServicePort", service.port());
		json.put("ServiceMeta", service.meta());
		json.put("ServiceTaggedAddresses", serviceTaggedAddresses(service));
		json.put("ServiceTags", service.tags());
		json.put("ServiceProxy", noProxy());
		Map<String, Object> connect = new LinkedHashMap<>();
		connect.put("Native", false);
		connect.put("Proxy", null);
		json.put("ServiceConnect", connect);
		json.put("Namespace", "default");
		return json;
	}

	static Map<String, Object> healthEntry(CatalogService entry, CatalogNode node, String datacenter,
			List<CatalogCheck> checks) {
		ServiceRegistration service = entry.service();
		Map<String, Object> nodeJson = new LinkedHashMap<>();
		nodeJson.put("ID", node.id());
		nodeJson.put("Node", node.name());
		nodeJson.put("Address", node.address());
		nodeJson.put("Datacenter", datacenter);
		nodeJson.put("TaggedAddresses", node.taggedAddresses());
		nodeJson.put("Meta", node.meta());
		nodeJson.put("CreateIndex", node.createIndex());
		nodeJson.put("ModifyIndex", node.modifyIndex());
		Map<String, Object> serviceJson = new LinkedHashMap<>();
		serviceJson.put("ID", service.id());
		serviceJson.put("Service", service.name());
		serviceJson.put("Tags", service.tags());
		serviceJson.put("Address", service.address());
		serviceJson.put("TaggedAddresses", serviceTaggedAddresses(service));
		serviceJson.put("Meta", service.meta());
		serviceJson.put("Port", service.port());
		serviceJson.put("Weights", Map.of("Passing", 1, "Warning", 1));
		serviceJson.put("Namespace", "default");
		serviceJson.put("CreateIndex", entry.createIndex());
		serviceJson.put("ModifyIndex", entry.modifyIndex());
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("Node", nodeJson);
		json.put("Service", serviceJson);
		json.put("Checks", checks.stream().map(ConsulJson::check).toList());
		return json;
	}

	private static Map<String, Object> check(CatalogCheck check) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("Node", check.node());
		json.put("CheckID", check.checkId());
		json.put("Name", check.name());
		json.put("Status", check.status());
		json.put("Notes", check.notes());
		json.put("Output", check.output());
		json.put("ServiceID", check.serviceId());
		json.put("ServiceName", check.serviceName());
		json.put("ServiceTags", check.serviceTags());
		json.put("Definition", check.definition());
		json.put("Namespace", "default");
		json.put("CreateIndex", check.createIndex());
		json.put("ModifyIndex", check.modifyIndex());
		return json;
	}

	// Consul Connect is not emulated: every instance is a plain service without a proxy.
	private static Map<String, Object> noProxy() {
		Map<String, Object> proxy = new LinkedHashMap<>();
		proxy.put("DestinationServiceName", "");
		proxy.put("DestinationServiceID", "");
		proxy.put("LocalServiceAddress", "");
		proxy.put("LocalServicePort", 0);
		proxy.put("Config", null);
		proxy.put("Upstreams", null);
		return proxy;
	}

	private static Map<String, Object> serviceTaggedAddresses(ServiceRegistration service) {
		if (service.address().isEmpty()) {
			return Map.of();
		}
		Map<String, Object> address = Map.of("address", service.address(), "port", service.port());
		return Map.of("lan", address, "wan", address);
	}

}
