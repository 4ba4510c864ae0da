package io.github.redisonmesos.localplatform.marathon;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.redisonmesos.localplatform.agents.Agents;
import io.github.redisonmesos.localplatform.agents.MesosAgent;
import io.github.redisonmesos.localplatform.process.VolumeAttachments;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The local platform's own agent endpoints on the Marathon port (no part of Marathon's
 * API): {@code GET /local-platform/agents}, and {@code POST
 * /local-platform/agents/{host}/stop} and {@code .../start} to lose an agent and bring it
 * back.
 */
@RestController
class AgentsController {

	private final Agents agents;

	private final AgentLoss loss;

	private final VolumeAttachments attachments;

	AgentsController(Agents agents, AgentLoss loss, VolumeAttachments attachments) {
		this.agents = agents;
		this.loss = loss;
		this.attachments = attachments;
	}

	@GetMapping("/local-platform/agents")
	List<Map<String, Object>> agents() {
		return this.agents.all().stream().map(this::json).toList();
	}

	@PostMapping("/local-platform/agents/{host}/stop")
	Map<String, Object> stop(@PathVariable String host) {
		MesosAgent agent = agent(host);
		this.loss.stop(agent);
		return json(agent);
	}

	@PostMapping("/local-platform/agents/{host}/start")
	Map<String, Object> start(@PathVariable String host) {
		MesosAgent agent = agent(host);
		this.loss.start(agent);
		return json(agent);
	}

	private MesosAgent agent(String host) {
		return this.agents.find(host)
			.orElseThrow(() -> new MarathonException(HttpStatus.NOT_FOUND, "Agent '" + host
					+ "' does not exist: the agents are " + this.agents.all().stream().map(MesosAgent::host).toList(),
					null, null));
	}

	private Map<String, Object> json(MesosAgent agent) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("host", agent.host());
		json.put("id", agent.id());
		json.put("attributes", agent.attributes());
		json.put("ports", agent.portsByRole());
		json.put("state", this.agents.running(agent) ? "running" : "stopped");
		json.put("tasks", this.loss.tasksOn(agent).stream().map(Task::id).sorted().toList());
		json.put("volumes", this.attachments.attachedTo(agent.host()));
		return json;
	}

}
