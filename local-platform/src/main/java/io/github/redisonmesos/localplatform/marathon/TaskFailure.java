package io.github.redisonmesos.localplatform.marathon;

import io.github.redisonmesos.localplatform.agents.MesosAgent;

/**
 * Why the last task of an app ended without being asked to.
 */
record TaskFailure(String appId, String taskId, String state, String message, String timestamp, String version,
		MesosAgent agent) {

}
