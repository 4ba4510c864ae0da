package io.github.redisonmesos.localplatform.marathonconsul;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.redisonmesos.localplatform.consul.Catalog;
import io.github.redisonmesos.localplatform.consul.CheckRegistration;
import io.github.redisonmesos.localplatform.consul.ServiceRegistration;
import io.github.redisonmesos.localplatform.marathon.TaskInfo;
import io.github.redisonmesos.localplatform.marathon.TaskObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Registers each healthy task of an app labelled {@code consul} with marathon-consul's
 * naming (service id {@code <taskId>_<name>_<port>}, tags {@code marathon},
 * {@code marathon-task:<taskId>} and the labels whose value is {@code tag}, only the
 * first port), and deregisters it when the task is killed, fails or is scaled away.
 */
@Component
class MarathonConsulBridge implements TaskObserver {

	private static final Logger logger = LoggerFactory.getLogger(MarathonConsulBridge.class);

	private static final String CONSUL_LABEL = "consul";

	private final Catalog catalog;

	MarathonConsulBridge(Catalog catalog) {
		this.catalog = catalog;
	}

	@Override
	public void taskHealthy(TaskInfo task) {
		String name = serviceName(task);
		if (name == null || task.ports().isEmpty()) {
			return;
		}
		int port = task.ports().get(0);
		String serviceId = serviceId(task, name);
		List<String> tags = new ArrayList<>();
		tags.add("marathon");
		task.labels().forEach((label, value) -> {
			if ("tag".equals(value)) {
				tags.add(label);
			}
		});
		tags.add("marathon-task:" + task.taskId());
		this.catalog.registerLocal(new ServiceRegistration(serviceId, name, tags, task.host(), port, Map.of()),
				new CheckRegistration(checkId(serviceId), "Service '" + name + "' check", "passing", "",
						"healthy in Marathon", serviceId, Map.of("TCP", task.host() + ":" + port)));
		logger.info("consul.registered serviceId={} service={} port={}", serviceId, name, port);
	}

	@Override
	public void taskUnhealthy(TaskInfo task) {
		String name = serviceName(task);
		if (name != null && !task.ports().isEmpty()) {
			this.catalog.updateLocalCheck(checkId(serviceId(task, name)), "critical", "unhealthy in Marathon");
		}
	}

	@Override
	public void taskGone(TaskInfo task) {
		String name = serviceName(task);
		if (name != null && !task.ports().isEmpty()) {
			this.catalog.deregisterLocal(serviceId(task, name));
			logger.info("consul.deregistered serviceId={}", serviceId(task, name));
		}
	}

	/**
	 * The service name marathon-consul derives: the label's value, or for {@code ""} and
	 * {@code "true"} the app id with its slashes turned into dots.
	 */
	static String serviceName(TaskInfo task) {
		String label = task.labels().get(CONSUL_LABEL);
		if (label == null) {
			return null;
		}
		if (label.isEmpty() || "true".equals(label)) {
			return task.appId().replaceAll("^/+|/+$", "").replace('/', '.');
		}
		return label;
	}

	private static String serviceId(TaskInfo task, String name) {
		return task.taskId() + "_" + name + "_" + task.ports().get(0);
	}

	private static String checkId(String serviceId) {
		return "service:" + serviceId;
	}

}
