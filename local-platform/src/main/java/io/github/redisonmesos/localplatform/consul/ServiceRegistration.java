package io.github.redisonmesos.localplatform.consul;

import java.util.List;
import java.util.Map;

/**
 * What a registration says about a service instance.
 *
 * @param id the service id, unique on its node
 * @param name the service name clients look up
 * @param tags the tags
 * @param address the address clients connect to
 * @param port the port clients connect to
 * @param meta free-form metadata
 */
public record ServiceRegistration(String id, String name, List<String> tags, String address, int port,
		Map<String, String> meta) {

}
