package io.github.redisonmesos.broker.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.github.redisonmesos.broker.deployment.TlsMode;
import io.github.redisonmesos.broker.osb.BadRequestException;
import io.github.redisonmesos.broker.tls.InstanceTlsProperties;

import org.springframework.beans.factory.annotation.Autowired;

import org.springframework.stereotype.Component;

/**
 * The parameters an instance takes at provision and update (its Redis settings): one JSON
 * schema ({@code catalog/instance-parameters.schema.json}, draft-04 as OSB requires) that
 * the catalog publishes and every request is validated against, and the defaults it
 * declares.
 */
@Component
public class InstanceParameters {

	static final String SCHEMA = "/catalog/instance-parameters.schema.json";

	/** The parameter that turns TLS on (docs/TLS.md). */
	public static final String TLS = "tls";

	private final Map<String, Object> schemaMap;

	private final JsonSchema schema;

	private final Map<String, Object> defaults;

	private final ObjectMapper objectMapper;

	private final InstanceTlsProperties tls;

	InstanceParameters(ObjectMapper objectMapper) {
		this(objectMapper, InstanceTlsProperties.OFF);
	}

	@Autowired
	InstanceParameters(ObjectMapper objectMapper, InstanceTlsProperties tls) {
		this.objectMapper = objectMapper;
		this.tls = tls;
		JsonNode node = read(objectMapper);
		// the catalog shows the operator's default for tls; instances provisioned before
		// TLS
		// have none recorded and stay disabled (effective)
		Map<String, Object> published = objectMapper.convertValue(node, new TypeReference<Map<String, Object>>() {
		});
		@SuppressWarnings("unchecked")
		Map<String, Object> tlsSchema = (Map<String, Object>) ((Map<String, Object>) published.get("properties"))
			.get(TLS);
		tlsSchema.put("default", tls.defaultMode().parameter());
		this.schemaMap = published;
		SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().locale(Locale.ENGLISH).build();
		this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(node, config);
		Map<String, Object> declared = new LinkedHashMap<>();
		node.path("properties")
			.properties()
			.forEach((property) -> declared.put(property.getKey(),
					objectMapper.convertValue(property.getValue().path("default"), Object.class)));
		this.defaults = Collections.unmodifiableMap(declared);
	}

	private static JsonNode read(ObjectMapper objectMapper) {
		try (InputStream in = InstanceParameters.class.getResourceAsStream(SCHEMA)) {
			return objectMapper.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + SCHEMA + " from the broker's jar", ex);
		}
	}

	/**
	 * The parameters a new instance's record keeps: the request's, with the operator's
	 * {@code tls} default ({@code BROKER_TLS_DEFAULT_MODE}) when the request names none,
	 * so that a later change of that default leaves the instance as it was provisioned.
	 * @param parameters the provision's parameters (validated)
	 * @return the parameters to record
	 */
	public Map<String, Object> atProvision(Map<String, Object> parameters) {
		if ((parameters != null && parameters.containsKey(TLS)) || !this.tls.defaultMode().on()) {
			return parameters;
		}
		Map<String, Object> recorded = (parameters != null) ? new LinkedHashMap<>(parameters) : new LinkedHashMap<>();
		recorded.put(TLS, this.tls.defaultMode().parameter());
		return recorded;
	}

	/**
	 * Check that the TLS an instance asks for can be given.
	 * @param parameters the parameters it will run with (validated, after an update's
	 * merge)
	 * @param ha whether its plan is an HA plan
	 * @param fixedPorts whether the broker claims each instance's host ports
	 * ({@code broker.marathon.redis-ports}): {@code optional} needs a second one, which
	 * the binding's {@code tls_port} names for good
	 * @throws BadRequestException (400) saying why, when TLS is on and the broker has no
	 * CA, or the mode is {@code optional} on an HA plan or without claimed ports;
	 * {@code required} is offered on every plan, HA plans included (docs/TLS.md)
	 */
	public void requireTlsOffered(Map<String, Object> parameters, boolean ha, boolean fixedPorts) {
		TlsMode mode = tls(parameters);
		if (!mode.on()) {
			return;
		}
		String refused = null;
		if (!this.tls.configured()) {
			refused = "this broker has no CA to sign the instance's certificate (the operator sets "
					+ "BROKER_TLS_CA_CERTIFICATE and BROKER_TLS_CA_PRIVATE_KEY)";
		}
		else if (mode == TlsMode.OPTIONAL && ha) {
			refused = "'optional' (a TLS port beside the plain one) is offered on single-Redis plans only; "
					+ "HA plans take 'required' or 'disabled'";
		}
		else if (mode == TlsMode.OPTIONAL && !fixedPorts) {
			refused = "'optional' (a TLS port beside the plain one) needs a host port of its own for each "
					+ "instance, and this broker takes the ports the platform gives (the operator sets "
					+ "BROKER_MARATHON_REDIS_PORTS)";
		}
		if (refused != null) {
			throw new BadRequestException("Invalid parameters: the parameter 'tls' is " + mode.parameter() + ", but "
					+ refused + "; ask for \"tls\": \"disabled\"" + (this.tls.configured() ? " or \"required\"" : "")
					+ ". Nothing was changed.");
		}
	}

	/**
	 * Check that a change of TLS on an HA instance can be carried out: its nodes restart
	 * together (nodes with and without TLS cannot replicate from or watch each other),
	 * and each node finds the primary again from its own Sentinel's file, which names the
	 * primary by host and port: only ports that stay the same across restarts (claimed
	 * from {@code BROKER_MARATHON_REDIS_PORTS}) let the last primary know itself and the
	 * others find it (docs/TLS.md, Changing tls on an HA instance).
	 * @param before the parameters the instance runs with
	 * @param after the parameters it would run with
	 * @param ha whether its plan is an HA plan
	 * @param ownPorts whether the instance has host ports of its own
	 * @throws BadRequestException (400) saying so, when the mode would change on an HA
	 * instance that takes the platform's ports
	 */
	public void requireTlsChangeOnOwnPortsOnHa(Map<String, Object> before, Map<String, Object> after, boolean ha,
			boolean ownPorts) {
		TlsMode now = tls(before);
		TlsMode asked = tls(after);
		if (ha && now != asked && !ownPorts) {
			throw new BadRequestException("Invalid parameters: the parameter 'tls' is " + asked.parameter()
					+ ", but this HA instance runs with " + now.parameter() + " and takes any port the platform "
					+ "gives (it was provisioned before BROKER_MARATHON_REDIS_PORTS was set): a change of 'tls' "
					+ "restarts every node at once, and each finds the primary again by the host and port it had, "
					+ "which change with the platform's ports; keep \"tls\": \"" + now.parameter()
					+ "\", or create a new HA instance with \"tls\": \"" + asked.parameter()
					+ "\" and move the data to it. Nothing was changed.");
		}
	}

	/**
	 * The TLS an instance runs with.
	 * @param parameters its recorded parameters
	 * @return the mode they name, {@link TlsMode#DISABLED} without one (an instance
	 * provisioned before TLS)
	 */
	public TlsMode tls(Map<String, Object> parameters) {
		return TlsMode.ofParameters(parameters);
	}

	/**
	 * The schema, as the catalog publishes it for provision and update.
	 * @return the JSON schema
	 */
	public Map<String, Object> schema() {
		return this.schemaMap;
	}

	/**
	 * Check the parameters of a provision or an update against the schema.
	 * @param parameters the request's parameters (none: nothing to check)
	 * @throws BadRequestException (400) naming each parameter that is wrong and why
	 */
	public void validate(Map<String, Object> parameters) {
		if (parameters == null || parameters.isEmpty()) {
			return;
		}
		Set<ValidationMessage> violations = this.schema.validate(this.objectMapper.valueToTree(parameters));
		if (violations.isEmpty()) {
			return;
		}
		// one sentence per parameter, whatever number of rules it breaks
		Map<String, Set<String>> errors = new TreeMap<>();
		for (ValidationMessage violation : violations) {
			boolean unknown = "additionalProperties".equals(violation.getType());
			JsonNodePath location = violation.getInstanceLocation();
			String name = unknown ? violation.getProperty() : location.getName(location.getNameCount() - 1);
			errors.computeIfAbsent(name, (key) -> new TreeSet<>())
				.add(unknown ? "is not a parameter this broker takes" : violation.getError());
		}
		String described = errors.entrySet()
			.stream()
			.map((error) -> "the parameter " + quote(error.getKey()) + " " + String.join(", ", error.getValue())
					+ describe(error.getKey()))
			.collect(Collectors.joining("; "));
		throw new BadRequestException("Invalid parameters: " + described
				+ ". The parameters are the instance's Redis settings: " + String.join(", ", this.defaults.keySet())
				+ " (see the plan's schemas in GET /v2/catalog); nothing was changed.");
	}

	private String describe(String name) {
		JsonNode property = this.schema.getSchemaNode().path("properties").path(name);
		return property.has("description") ? " (" + property.path("description").asText() + ")" : "";
	}

	private static String quote(String name) {
		return "'" + name + "'";
	}

	/**
	 * The settings an instance runs with: the schema's defaults, with the parameters set.
	 * A parameter the schema does not take, or with a value it refuses (a record written
	 * before the broker validated parameters), is left out: it never reaches Redis.
	 * @param parameters the parameters set at provision and since
	 * @return every setting the schema declares
	 */
	public Map<String, Object> effective(Map<String, Object> parameters) {
		Map<String, Object> effective = new LinkedHashMap<>(this.defaults);
		if (parameters != null) {
			parameters.forEach((name, value) -> {
				if (this.defaults.containsKey(name) && value != null
						&& this.schema.validate(this.objectMapper.valueToTree(Map.of(name, value))).isEmpty()) {
					effective.put(name, value);
				}
			});
		}
		return effective;
	}

}
