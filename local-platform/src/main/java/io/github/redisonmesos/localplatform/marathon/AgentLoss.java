package io.github.redisonmesos.localplatform.marathon;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.redisonmesos.localplatform.agents.Agents;
import io.github.redisonmesos.localplatform.agents.MesosAgent;
import io.github.redisonmesos.localplatform.process.TaskProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Stops and starts agents as a machine that goes away and comes back: a stopped agent
 * offers nothing, and its tasks die at once (their process trees killed), are reported
 * {@code TASK_LOST}, leave Consul and are replaced on agents that meet their apps'
 * constraints, without growing the launch delay (Marathon rate-limits failed tasks, not
 * unreachable ones). A started agent offers its resources again.
 */
@Component
class AgentLoss {

	private static final Logger logger = LoggerFactory.getLogger(AgentLoss.class);

	private static final long GONE_WITHIN_MILLIS = 10_000;

	private final Agents agents;

	private final AppRegistry registry;

	private final TaskRunner runner;

	AgentLoss(Agents agents, AppRegistry registry, TaskRunner runner) {
		this.agents = agents;
		this.registry = registry;
		this.runner = runner;
	}

	/**
	 * Stops an agent; answers once its tasks' processes are gone.
	 * @param agent the agent
	 */
	void stop(MesosAgent agent) {
		if (!this.agents.setRunning(agent, false)) {
			return;
		}
		String message = "Agent " + agent.host() + " (" + agent.id() + ") is lost: stopped through "
				+ "POST /local-platform/agents/" + agent.host() + "/stop";
		logger.warn("agent.stopped host={} agentId={}", agent.host(), agent.id());
		List<TaskProcess> processes = this.registry.change((change) -> {
			List<TaskProcess> doomed = new ArrayList<>();
			for (App original : change.supervised()) {
				App app = original;
				for (Task task : original.tasks()) {
					if (!task.agent().equals(agent)) {
						continue;
					}
					if (task.process() != null) {
						doomed.add(task.process());
					}
					if (!task.killing() && !task.lost()) {
						app = this.runner.lose(change, app, task, message);
					}
				}
				if (app != original) {
					change.put(app);
				}
			}
			return doomed;
		});
		processes.forEach(TaskProcess::kill);
		awaitGone(agent, processes);
	}

	/**
	 * Starts an agent again: it offers its resources from the next tick on.
	 * @param agent the agent
	 */
	void start(MesosAgent agent) {
		if (this.agents.setRunning(agent, true)) {
			logger.info("agent.started host={} agentId={}", agent.host(), agent.id());
		}
	}

	/**
	 * The agent's tasks, from a snapshot.
	 */
	List<Task> tasksOn(MesosAgent agent) {
		return this.registry.snapshot()
			.supervised()
			.stream()
			.flatMap((app) -> app.tasks().stream())
			.filter((task) -> task.agent().equals(agent))
			.toList();
	}

	private void awaitGone(MesosAgent agent, List<TaskProcess> processes) {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GONE_WITHIN_MILLIS);
		try {
			for (TaskProcess process : processes) {
				process.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			// Each exit is then handled on the supervision thread: the task ends there.
			while (tasksOn(agent).stream().anyMatch((task) -> task.process() != null) && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			logger.warn("agent.stop-slow host={} reason={}", agent.host(), ex.toString());
		}
	}

}
