package io.github.redisonmesos.localplatform.consul;

import java.util.Map;

/**
 * What a registration says about a health check.
 *
 * @param checkId the check id, unique on its node
 * @param name a human name
 * @param status {@code passing}, {@code warning} or {@code critical}
 * @param notes free text
 * @param output the last probe output
 * @param serviceId the service the check belongs to, empty for a node check
 * @param definition how the check probes (for example {@code TCP}, {@code Interval})
 */
public record CheckRegistration(String checkId, String name, String status, String notes, String output,
		String serviceId, Map<String, Object> definition) {

}
