package io.github.redisonmesos.localplatform.marathonconsul;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.redisonmesos.localplatform.agents.Agents;
import io.github.redisonmesos.localplatform.agents.MesosAgent;
import io.github.redisonmesos.localplatform.consul.Catalog;
import io.github.redisonmesos.localplatform.consul.CheckRegistration;
import io.github.redisonmesos.localplatform.consul.ServiceRegistration;
import io.github.redisonmesos.localplatform.consul.acl.Access;
import io.github.redisonmesos.localplatform.consul.acl.AclNotFoundException;
import io.github.redisonmesos.localplatform.consul.acl.AclProperties;
import io.github.redisonmesos.localplatform.consul.acl.AclStore;
import io.github.redisonmesos.localplatform.consul.acl.Authorizer;
import io.github.redisonmesos.localplatform.consul.acl.Resource;
import io.github.redisonmesos.localplatform.marathon.TaskInfo;
import io.github.redisonmesos.localplatform.marathon.TaskObserver;
import io.github.redisonmesos.localplatform.marathonconsul.ConsulChecks.Check;
import io.github.redisonmesos.localplatform.marathonconsul.RegistrationIntents.Intent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Registers each healthy task of an app labelled {@code consul} as marathon-consul does
 * (one service per {@link RegistrationIntents intent}, id {@code <taskId>_<name>_<port>},
 * tags {@code marathon}, the labels' tags, {@code marathon-task:<taskId>}, every
 * {@link ConsulChecks check} on every registration), and deregisters every service tagged
 * with the task when it is killed, fails or is scaled away. Each task registers through
 * the Consul agent of its Mesos agent: on the node named after the agent's id
 * ({@code agent-1}, ...), at the agent's address.
 * <p>
 * With ACLs on it registers with its own token (marathon-consul's
 * {@code --consul-token}): a service its token may not write is not registered (logged
 * once per service), and is registered as soon as the token is replaced by one that may
 * ({@link #useToken}), as marathon-consul's next sync would.
 */
@Component
class MarathonConsulBridge implements TaskObserver {

	private static final Logger logger = LoggerFactory.getLogger(MarathonConsulBridge.class);

	// marathon-consul's default --consul-tag.
	private static final String CONSUL_TAG = "marathon";

	private final Catalog catalog;

	private final AclStore acls;

	private String token;

	// healthy tasks with a service the token may not write, by task id
	private final Map<String, TaskInfo> refused = new LinkedHashMap<>();

	private final Set<String> refusalsLogged = new HashSet<>();

	private final Agents agents;

	MarathonConsulBridge(Catalog catalog, Agents agents, AclStore acls, AclProperties properties) {
		this.catalog = catalog;
		this.agents = agents;
		this.acls = acls;
		this.token = (properties.marathonConsulToken() != null) ? properties.marathonConsulToken() : "";
	}

	/**
	 * Registers from now on with this token, and registers what the previous one was
	 * refused.
	 * @param newToken the token's SecretID (empty: the anonymous token)
	 */
	synchronized void useToken(String newToken) {
		this.token = newToken;
		this.refusalsLogged.clear();
		List<TaskInfo> retry = new ArrayList<>(this.refused.values());
		this.refused.clear();
		retry.forEach(this::taskHealthy);
	}

	@Override
	public synchronized void taskHealthy(TaskInfo task) {
		if (!RegistrationIntents.isConsulApp(task)) {
			return;
		}
		List<Check> checks = ConsulChecks.of(task);
		for (Intent intent : RegistrationIntents.of(task)) {
			if (!mayRegister(intent.name())) {
				this.refused.put(task.taskId(), task);
				continue;
			}
			String serviceId = task.taskId() + "_" + intent.name() + "_" + intent.port();
			List<String> tags = new ArrayList<>();
			tags.add(CONSUL_TAG);
			tags.addAll(intent.tags());
			tags.add(taskTag(task));
			List<CheckRegistration> registrations = new ArrayList<>();
			for (int i = 0; i < checks.size(); i++) {
				registrations.add(new CheckRegistration(checkId(serviceId, i, checks.size()),
						"Service '" + intent.name() + "' check", "passing", "", "healthy in Marathon", serviceId,
						checks.get(i).definition()));
			}
			this.catalog.registerOnAgent(node(task), task.host(),
					new ServiceRegistration(serviceId, intent.name(), tags, task.host(), intent.port(), Map.of()),
					registrations);
			logger.info("consul.registered serviceId={} service={} port={} checks={}", serviceId, intent.name(),
					intent.port(), checks.size());
		}
	}

	/**
	 * Consul probes the checks itself; here each check takes the result of the Marathon
	 * health check it was made of, which probes the same port the same way.
	 */
	@Override
	public synchronized void taskUnhealthy(TaskInfo task) {
		this.refused.remove(task.taskId());
		List<Check> checks = ConsulChecks.of(task);
		for (String serviceId : this.catalog.serviceIdsOnAgent(node(task), taskTag(task))) {
			for (int i = 0; i < checks.size(); i++) {
				Boolean alive = task.healthChecks().get(checks.get(i).healthCheck()).alive();
				if (alive != null) {
					this.catalog.updateCheckOnAgent(node(task), checkId(serviceId, i, checks.size()),
							alive ? "passing" : "critical", alive ? "healthy in Marathon" : "unhealthy in Marathon");
				}
			}
		}
	}

	/**
	 * Like marathon-consul's {@code DeregisterByTask}: every service tagged with the
	 * task, whatever the app's labels say now.
	 */
	@Override
	public synchronized void taskGone(TaskInfo task) {
		this.refused.remove(task.taskId());
		for (String serviceId : this.catalog.serviceIdsOnAgent(node(task), taskTag(task))) {
			this.catalog.deregisterOnAgent(node(task), serviceId);
			logger.info("consul.deregistered serviceId={}", serviceId);
		}
	}

	private boolean mayRegister(String service) {
		String reason;
		try {
			Authorizer authorizer = this.acls.authorize(this.token);
			if (authorizer.allows(Resource.SERVICE, Access.WRITE, service)) {
				return true;
			}
			reason = "Permission denied";
		}
		catch (AclNotFoundException ex) {
			reason = ex.getMessage();
		}
		if (this.refusalsLogged.add(service)) {
			logger.warn("marathon-consul.register-refused service={} reason={}", service, reason);
		}
		return false;
	}

	// The Consul node of the task's agent (the local node for a host no agent has).
	private String node(TaskInfo task) {
		return this.agents.find(task.host()).map(MesosAgent::id).orElse(Catalog.LOCAL_NODE);
	}

	private static String taskTag(TaskInfo task) {
		return "marathon-task:" + task.taskId();
	}

	/**
	 * The id the Consul agent gives the checks of a service registration:
	 * {@code service:<serviceId>} for one, {@code service:<serviceId>:<n>} (from 1) for
	 * several.
	 */
	static String checkId(String serviceId, int index, int count) {
		return "service:" + serviceId + ((count > 1) ? ":" + (index + 1) : "");
	}

}
