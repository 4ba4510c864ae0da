package io.github.redisonmesos.broker.marathon;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Marathon's AppDefinition JSON schema (draft-04), copied from
 * fixtures/marathon/schema/AppDefinition.json (mesosphere/marathon tag v1.7.236, see
 * contract-fixtures/README.md).
 */
public final class MarathonSchema {

	private static final JsonSchema APP_DEFINITION = load();

	private MarathonSchema() {
	}

	/**
	 * Validate an app definition.
	 * @param app the definition the broker would send
	 * @return the violations, empty when Marathon would accept the shape
	 */
	public static Set<ValidationMessage> violations(JsonNode app) {
		return APP_DEFINITION.validate(app);
	}

	private static JsonSchema load() {
		try (InputStream in = MarathonSchema.class
			.getResourceAsStream("/contract/marathon/schema/AppDefinition.json")) {
			ObjectNode schema = (ObjectNode) new ObjectMapper().readTree(in);
			// the file names the generic "http://json-schema.org/schema#", which the
			// validator would fetch over the network; its keywords are draft-04
			schema.put("$schema", "http://json-schema.org/draft-04/schema#");
			return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
