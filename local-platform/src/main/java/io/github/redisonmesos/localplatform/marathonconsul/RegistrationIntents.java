package io.github.redisonmesos.localplatform.marathonconsul;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.redisonmesos.localplatform.marathon.TaskInfo;
import io.github.redisonmesos.localplatform.marathon.TaskInfo.PortDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services marathon-consul registers for one task, with its rules (allegro/
 * marathon-consul {@code apps/app.go}, {@code RegistrationIntents}): the app's first port
 * under the app's name, unless port definitions carry a {@code consul} label; then each
 * such port under its own name(s), with its own tags before the app's.
 */
final class RegistrationIntents {

	static final String CONSUL_LABEL = "consul";

	private static final String TAG_VALUE = "tag";

	// marathon-consul's default --consul-name-separator.
	private static final String NAME_SEPARATOR = ".";

	private static final Logger logger = LoggerFactory.getLogger(RegistrationIntents.class);

	private RegistrationIntents() {
	}

	/**
	 * Whether marathon-consul registers the app's tasks at all: only with a
	 * {@code consul} label on the app, whatever its port definitions say.
	 */
	static boolean isConsulApp(TaskInfo task) {
		return task.labels().containsKey(CONSUL_LABEL);
	}

	static List<Intent> of(TaskInfo task) {
		List<Integer> ports = task.ports();
		List<Indexed> all = new ArrayList<>();
		for (int i = 0; i < task.portDefinitions().size(); i++) {
			PortDefinition definition = task.portDefinitions().get(i);
			all.add(new Indexed(i, definition.labels(), definition.name()));
		}
		Map<String, String> placeholders = placeholders(all, ports);
		List<String> commonTags = tags(task.labels(), placeholders);
		List<Indexed> labelled = consulDefinitions(all);
		List<Intent> intents = new ArrayList<>();
		if (labelled.isEmpty()) {
			if (!ports.isEmpty()) {
				intents.add(new Intent(name(task, task.labels()), ports.get(0), commonTags));
			}
			return intents;
		}
		for (Indexed definition : labelled) {
			if (definition.index() >= ports.size()) {
				logger.warn("consul.port-index-out-of-bounds taskId={} portIndex={} ports={}", task.taskId(),
						definition.index(), ports.size());
				continue;
			}
			List<String> tags = new ArrayList<>(tags(definition.labels(), placeholders));
			tags.addAll(commonTags);
			intents.add(new Intent(name(task, definition.labels()), ports.get(definition.index()), tags));
		}
		return intents;
	}

	/**
	 * One registration per name of each port whose labels hold {@code consul}: the label
	 * may list several names, separated by commas.
	 */
	private static List<Indexed> consulDefinitions(List<Indexed> all) {
		List<Indexed> result = new ArrayList<>();
		for (Indexed definition : all) {
			String names = definition.labels().get(CONSUL_LABEL);
			if (names == null) {
				continue;
			}
			for (String name : names.split(",", -1)) {
				result.add(new Indexed(definition.index(), labelsForService(name, definition.labels()), name));
			}
		}
		return result;
	}

	/**
	 * A port's labels as one of its names sees them: {@code "tag:<name>"} is a tag for
	 * that name only, any other value holding a colon is dropped, and {@code consul} is
	 * the name itself.
	 */
	private static Map<String, String> labelsForService(String name, Map<String, String> labels) {
		Map<String, String> result = new LinkedHashMap<>();
		labels.forEach((key, value) -> {
			String[] valueAndSelector = value.split(":", -1);
			if (valueAndSelector.length > 1) {
				if (TAG_VALUE.equals(valueAndSelector[0]) && name.equals(valueAndSelector[1])) {
					result.put(key, TAG_VALUE);
				}
			}
			else if (CONSUL_LABEL.equals(key)) {
				result.put(key, name);
			}
			else {
				result.put(key, value);
			}
		});
		return result;
	}

	/**
	 * {@code {port:<name>}} in a tag stands for the task's port of the named port
	 * definition.
	 */
	private static Map<String, String> placeholders(List<Indexed> all, List<Integer> ports) {
		Map<String, String> placeholders = new LinkedHashMap<>();
		for (Indexed definition : all) {
			if (definition.name() != null && !definition.name().isEmpty() && definition.index() < ports.size()) {
				placeholders.put("{port:" + definition.name() + "}", String.valueOf(ports.get(definition.index())));
			}
		}
		return placeholders;
	}

	private static List<String> tags(Map<String, String> labels, Map<String, String> placeholders) {
		List<String> tags = new ArrayList<>();
		labels.forEach((key, value) -> {
			if (TAG_VALUE.equals(value)) {
				String tag = key;
				for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
					tag = tag.replace(placeholder.getKey(), placeholder.getValue());
				}
				tags.add(tag);
			}
		});
		return tags;
	}

	/**
	 * The {@code consul} label's value, or the app id for {@code ""} and {@code "true"};
	 * slashes at the ends dropped and inner ones turned into dots; the app id again when
	 * nothing is left.
	 */
	private static String name(TaskInfo task, Map<String, String> labels) {
		String label = labels.get(CONSUL_LABEL);
		String raw = (label != null && !label.isEmpty() && !"true".equals(label)) ? label : task.appId();
		String name = serviceName(raw);
		if (name.isEmpty()) {
			logger.warn("consul.invalid-service-name appId={} name={}", task.appId(), raw);
			return serviceName(task.appId());
		}
		return name;
	}

	private static String serviceName(String raw) {
		return raw.strip().replaceAll("^/+|/+$", "").replace("/", NAME_SEPARATOR);
	}

	/**
	 * One registration marathon-consul makes for a task.
	 *
	 * @param name the service name
	 * @param port the task's host port
	 * @param tags the tags from labels, before marathon-consul adds its own
	 */
	record Intent(String name, int port, List<String> tags) {

	}

	private record Indexed(int index, Map<String, String> labels, String name) {

	}

}
