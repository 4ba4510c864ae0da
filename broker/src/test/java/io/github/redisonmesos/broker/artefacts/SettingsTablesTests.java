package io.github.redisonmesos.broker.artefacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code broker.*} setting of the broker's application.yml has a row in the
 * settings tables an operator reads (README.md, "Configuration"): by its environment
 * variable (the {@code ${VARIABLE:...}} it reads, or its relaxed form
 * {@code BROKER_MARATHON_TIMEOUT}) or by its property name; and only there: the other
 * documents link to those tables rather than describe a setting again.
 */
class SettingsTablesTests {

	private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();

	private static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{([A-Z0-9_]+)[:}]");

	// the documents that link to the README's tables instead of repeating them
	private static final List<String> OTHER_DOCUMENTS = List.of("broker/README.md", "local-platform/README.md",
			"sample-counter-app/README.md", "client-proofs/README.md", "docs/INTERFACES.md", "docs/HA-NODE.md");

	// the first cell of a table row: what the row describes
	private static final Pattern FIRST_CELL = Pattern.compile("^\\|([^|]*)\\|");

	@Test
	void everyBrokerSettingHasARowInTheSettingsTables() throws IOException {
		List<String[]> settings = brokerSettings();
		assertThat(settings).as("broker.* settings in application.yml").hasSizeGreaterThan(10);
		String rows = tableRows("README.md");
		List<String> missing = new ArrayList<>();
		for (String[] setting : settings) {
			if (!documented(setting[0], setting[1], rows)) {
				missing.add(setting[0] + " (" + variable(setting[0], setting[1]) + ")");
			}
		}
		assertThat(missing)
			.as("broker.* settings of application.yml without a row in the settings tables of "
					+ "README.md (add one: variable, meaning, default)")
			.isEmpty();
	}

	@Test
	void noOtherDocumentHasARowForABrokerSetting() throws IOException {
		List<String[]> settings = brokerSettings();
		List<String> repeated = new ArrayList<>();
		for (String document : OTHER_DOCUMENTS) {
			String firstCells = firstCells(document);
			for (String[] setting : settings) {
				if (documented(setting[0], setting[1], firstCells)) {
					repeated.add(document + ": " + setting[0]);
				}
			}
		}
		assertThat(repeated)
			.as("settings described in a table row outside README.md: link to the README's tables instead")
			.isEmpty();
	}

	@Test
	void aRepeatedRowIsFound() {
		assertThat(documented("broker.marathon.url", "${MARATHON_URL:http://127.0.0.1:8080}",
				firstCellsOf(List.of("| `MARATHON_URL` | Marathon's base URL | `http://127.0.0.1:8080` |"))))
			.isTrue();
		assertThat(documented("broker.marathon.url", "${MARATHON_URL:http://127.0.0.1:8080}",
				firstCellsOf(List.of("| a call | goes to `MARATHON_URL` | |"))))
			.isFalse();
	}

	@Test
	void aSettingWithoutARowIsFound() {
		String rows = "| `MARATHON_URL` | Marathon's base URL | `http://127.0.0.1:8080` |";
		assertThat(documented("broker.marathon.url", "${MARATHON_URL:http://127.0.0.1:8080}", rows)).isTrue();
		assertThat(documented("broker.marathon.timeout", "10s", rows)).isFalse();
		assertThat(documented("broker.marathon.timeout", "10s", "| `BROKER_MARATHON_TIMEOUT` | ... | `10s` |"))
			.isTrue();
	}

	private static boolean documented(String property, String value, String rows) {
		return containsWord(rows, variable(property, value)) || containsWord(rows, relaxed(property))
				|| containsWord(rows, property);
	}

	private static boolean containsWord(String text, String word) {
		return Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(word) + "(?![A-Za-z0-9_-])").matcher(text).find();
	}

	// the variable a value reads (${MARATHON_URL:...}), else the relaxed form
	private static String variable(String property, String value) {
		Matcher placeholder = PLACEHOLDER.matcher(value);
		return placeholder.find() ? placeholder.group(1) : relaxed(property);
	}

	private static String relaxed(String property) {
		return property.replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT);
	}

	// each broker.* setting of application.yml: its property and its value
	private static List<String[]> brokerSettings() throws IOException {
		Map<String, Object> yaml = new Yaml()
			.load(Files.readString(PROJECT.resolve("broker/src/main/resources/application.yml")));
		List<String[]> settings = new ArrayList<>();
		flatten("broker", yaml.get("broker"), settings);
		return settings;
	}

	@SuppressWarnings("unchecked")
	private static void flatten(String prefix, Object node, List<String[]> into) {
		if (node instanceof Map<?, ?> map) {
			((Map<String, Object>) map).forEach((key, value) -> flatten(prefix + "." + key, value, into));
		}
		else {
			into.add(new String[] { prefix, String.valueOf(node) });
		}
	}

	private static String firstCells(String file) throws IOException {
		return firstCellsOf(Files.readAllLines(PROJECT.resolve(file)));
	}

	private static String firstCellsOf(List<String> lines) {
		return lines.stream()
			.map(FIRST_CELL::matcher)
			.filter(Matcher::find)
			.map((cell) -> cell.group(1))
			.collect(Collectors.joining("\n"));
	}

	private static String tableRows(String file) throws IOException {
		return Files.readAllLines(PROJECT.resolve(file))
			.stream()
			.filter((line) -> line.startsWith("|"))
			.collect(Collectors.joining("\n"));
	}

}
