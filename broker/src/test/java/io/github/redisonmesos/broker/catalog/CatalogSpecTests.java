package io.github.redisonmesos.broker.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.servicebroker.model.catalog.Catalog;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog as {@code GET /v2/catalog} serializes it, against the OSB spec's
 * {@code Catalog} schema (its plans' {@code schemas} against {@code Schemas}) from
 * {@code openapi.yaml} (openservicebrokerapi/servicebroker v2.17, copied to
 * {@code src/test/resources/osb}), and each parameters schema against the spec's rules
 * for it: a JSON schema draft-04 with {@code $schema}, no external reference, under 64
 * kB.
 */
class CatalogSpecTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final JsonNode catalog = JSON.valueToTree(TestCatalog.redisCatalog(new CatalogProperties(null)).catalog());

	@Test
	void catalogMatchesTheSpecsCatalogSchemaWithSchemasObjectsOnEveryPlan() throws IOException {
		assertThat(spec("Catalog").validate(this.catalog)).isEmpty();
		for (JsonNode plan : plans()) {
			assertThat(plan.path("schemas").isObject()).as(plan.path("name").asText()).isTrue();
			assertThat(spec("Schemas").validate(plan.path("schemas"))).isEmpty();
		}
	}

	@Test
	void specSchemaCanFail() throws IOException {
		// the check above is not vacuous: a wrong shape is refused
		ObjectNode wrong = JSON.createObjectNode();
		wrong.putObject("service_instance").put("create", "not an object");
		assertThat(spec("Schemas").validate(wrong)).isNotEmpty();
	}

	@Test
	void everyParametersSchemaIsADraft04SchemaWithoutExternalReferencesUnder64Kb() {
		JsonSchema draft04 = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
			.getSchema(SchemaLocation.of("http://json-schema.org/draft-04/schema"));
		for (JsonNode plan : plans()) {
			for (String method : List.of("create", "update")) {
				JsonNode parameters = plan.path("schemas").path("service_instance").path(method).path("parameters");
				assertThat(parameters.path("$schema").asText()).isEqualTo("http://json-schema.org/draft-04/schema#");
				assertThat(draft04.validate(parameters)).isEmpty();
				assertThat(parameters.findValues("$ref")).isEmpty();
				assertThat(parameters.toString().getBytes(StandardCharsets.UTF_8).length).isLessThan(64 * 1024);
				assertThat(parameters.path("properties").properties()).extracting(Map.Entry::getKey)
					.containsExactlyInAnyOrder("maxmemory-policy", "notify-keyspace-events", "appendfsync", "timeout",
							"tls");
				assertThat(parameters.path("additionalProperties").asBoolean(true)).isFalse();
			}
		}
		assertThat(this.catalog.path("services").get(0).path("instances_retrievable").asBoolean()).isTrue();
	}

	private List<JsonNode> plans() {
		List<JsonNode> plans = new ArrayList<>();
		this.catalog.path("services").get(0).path("plans").forEach(plans::add);
		assertThat(plans).isNotEmpty();
		return plans;
	}

	// an OpenAPI 3.0 component as a draft-04 schema: the components become definitions
	private static JsonSchema spec(String component) throws IOException {
		JsonNode openApi;
		try (InputStream in = CatalogSpecTests.class.getResourceAsStream("/osb/openapi.yaml")) {
			openApi = new YAMLMapper().readTree(in);
		}
		ObjectNode schema = JSON.createObjectNode();
		schema.put("$schema", "http://json-schema.org/draft-04/schema#");
		schema.set("definitions", openApi.path("components").path("schemas").deepCopy());
		schema.put("$ref", "#/definitions/" + component);
		rewriteRefs(schema);
		return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
	}

	private static void rewriteRefs(JsonNode node) {
		if (node instanceof ObjectNode object) {
			JsonNode ref = object.get("$ref");
			if (ref != null && ref.isTextual()) {
				object.set("$ref", new TextNode(ref.asText().replace("#/components/schemas/", "#/definitions/")));
			}
		}
		node.forEach(CatalogSpecTests::rewriteRefs);
	}

}
