package io.github.redisonmesos.localplatform.process;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.springframework.stereotype.Component;

/**
 * Which agent each external volume is attached to, as REX-Ray attaches a volume to one
 * host at a time: a task mounts its volume on its agent; a task on another agent may
 * mount it only once no task holds it there (the volume is detached when the last task
 * that mounted it has ended). The data is one directory whatever the agent, so it follows
 * the volume.
 */
@Component
public class VolumeAttachments {

	// Guarded by this: volume name -> the attachment.
	private final Map<String, Attachment> attachments = new HashMap<>();

	/**
	 * Attaches a volume to the task's agent.
	 * @param volume the volume's name
	 * @param host the agent's address
	 * @param taskId the task that mounts it
	 * @throws IOException when another agent's task holds it, as a mount fails on REX-Ray
	 */
	synchronized void attach(String volume, String host, String taskId) throws IOException {
		Attachment attachment = this.attachments.get(volume);
		if (attachment != null && !attachment.host().equals(host)) {
			throw new IOException("volume " + volume + " is attached to agent " + attachment.host() + " (tasks "
					+ attachment.tasks() + "): an external volume is attached to one agent at a time");
		}
		Attachment updated = (attachment != null) ? attachment : new Attachment(host, new TreeSet<>());
		updated.tasks().add(taskId);
		this.attachments.put(volume, updated);
	}

	/**
	 * The task has ended: its volumes are detached once no other task holds them.
	 * @param taskId the task
	 */
	synchronized void detach(String taskId) {
		this.attachments.values()
			.removeIf((attachment) -> attachment.tasks().remove(taskId) && attachment.tasks().isEmpty());
	}

	/**
	 * The volumes attached to an agent.
	 * @param host the agent's address
	 * @return their names, sorted
	 */
	public synchronized List<String> attachedTo(String host) {
		return this.attachments.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().host().equals(host))
			.map(Map.Entry::getKey)
			.sorted()
			.toList();
	}

	private record Attachment(String host, TreeSet<String> tasks) {

	}

}
