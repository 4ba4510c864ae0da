package io.github.redisonmesos.localplatform.marathon;

import java.util.List;
import java.util.Map;

/**
 * What observers learn about a task.
 *
 * @param taskId the task id
 * @param appId the app id
 * @param labels the app's labels
 * @param host the host the task runs on
 * @param ports the task's host ports
 * @param healthCheckProtocol the protocol of the app's first health check, or null
 */
public record TaskInfo(String taskId, String appId, Map<String, String> labels, String host, List<Integer> ports,
		String healthCheckProtocol) {

}
