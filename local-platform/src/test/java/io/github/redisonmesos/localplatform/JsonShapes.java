package io.github.redisonmesos.localplatform;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares a response with a recorded upstream body by shape: every field of the fixture
 * is present with the same JSON type (where the fixture's value is not null),
 * recursively, arrays by their first element. Extra fields in the response are allowed.
 * An ignored path ending in {@code .*} ignores everything under it. A field the fixture
 * holds as null may be absent: Marathon leaves out fields it has no value for.
 */
final class JsonShapes {

	private JsonShapes() {
	}

	static void assertSameShape(JsonNode fixture, JsonNode actual, Set<String> ignoredPaths) {
		compare(fixture, actual, "", ignoredPaths);
	}

	private static void compare(JsonNode fixture, JsonNode actual, String path, Set<String> ignored) {
		if (fixture.isNull() || actual.isNull()) {
			return;
		}
		assertThat(actual.getNodeType()).as("JSON type at '%s'", path).isEqualTo(fixture.getNodeType());
		if (fixture.isObject()) {
			for (Map.Entry<String, JsonNode> field : fixture.properties()) {
				String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
				if (ignored.contains(fieldPath) || ignored.contains(path + ".*") || field.getValue().isNull()) {
					continue;
				}
				assertThat(actual.has(field.getKey())).as("field '%s' in %s", fieldPath, actual).isTrue();
				compare(field.getValue(), actual.get(field.getKey()), fieldPath, ignored);
			}
		}
		else if (fixture.isArray() && !fixture.isEmpty() && !actual.isEmpty()) {
			compare(fixture.get(0), actual.get(0), path, ignored);
		}
	}

}
