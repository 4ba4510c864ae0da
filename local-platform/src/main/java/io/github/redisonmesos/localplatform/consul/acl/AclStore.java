package io.github.redisonmesos.localplatform.consul.acl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.localplatform.LocalPlatformProperties;
import io.github.redisonmesos.localplatform.state.DurableFiles;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The ACL tokens and policies, and the resolution of a request's token to an
 * {@link Authorizer}. Holds the built-in {@code global-management} policy, the management
 * token from the settings and the anonymous token (whose policies can be changed, as on
 * Consul); the rest is kept in {@code <state-dir>/consul/acl.json} (owner only), so
 * tokens survive a restart of the platform.
 */
@Component
public class AclStore {

	/** The anonymous token's AccessorID, Consul's constant. */
	public static final String ANONYMOUS_ACCESSOR_ID = "00000000-0000-0000-0000-000000000002";

	static final String MANAGEMENT_POLICY_ID = "00000000-0000-0000-0000-000000000001";

	private static final Logger logger = LoggerFactory.getLogger(AclStore.class);

	private static final Pattern POLICY_NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");

	private final AclProperties properties;

	private final ObjectMapper json;

	private final Path file;

	private final Map<String, Policy> policies = new LinkedHashMap<>();

	private final Map<String, Token> tokens = new LinkedHashMap<>();

	private long index;

	AclStore(AclProperties properties, LocalPlatformProperties platform, ObjectMapper json) {
		if (properties.enabled()
				&& (properties.consulManagementToken() == null || properties.consulManagementToken().isBlank())) {
			throw new IllegalStateException("local-platform.consul-acl=deny needs the management token: set "
					+ "LOCAL_PLATFORM_CONSUL_MANAGEMENT_TOKEN (local-platform.consul-management-token)");
		}
		this.properties = properties;
		this.json = json;
		this.file = platform.absoluteStateDir().resolve("consul").resolve("acl.json");
		this.policies.put(MANAGEMENT_POLICY_ID, new Policy(MANAGEMENT_POLICY_ID, "global-management",
				"Builtin Policy that grants unlimited access", "", List.of(), List.of(), 1, 1));
		if (properties.enabled()) {
			Token management = new Token(
					UUID.nameUUIDFromBytes(properties.consulManagementToken().getBytes(StandardCharsets.UTF_8))
						.toString(),
					properties.consulManagementToken(), "Initial Management Token", List.of(MANAGEMENT_POLICY_ID),
					false, now(), 2, 2);
			this.tokens.put(management.accessorId(), management);
		}
		this.tokens.put(ANONYMOUS_ACCESSOR_ID,
				new Token(ANONYMOUS_ACCESSOR_ID, "anonymous", "Anonymous Token", List.of(), false, now(), 3, 3));
		this.index = 3;
		load();
	}

	/**
	 * Whether ACLs are enforced ({@code local-platform.consul-acl=deny}).
	 * @return whether they are
	 */
	public boolean enabled() {
		return this.properties.enabled();
	}

	/**
	 * The authorizer of a request's token, taken as Consul takes it: {@code ?token=},
	 * else {@code X-Consul-Token}, else {@code Authorization: Bearer}; none is the
	 * anonymous token.
	 * @param request the request
	 * @return what the token may do ({@link Authorizer#ACLS_OFF} while ACLs are off)
	 * @throws AclNotFoundException for a token that does not exist
	 */
	public Authorizer authorize(HttpServletRequest request) {
		return enabled() ? authorize(tokenOf(request)) : Authorizer.ACLS_OFF;
	}

	/**
	 * The authorizer of a token's SecretID.
	 * @param secret the SecretID, empty or null for the anonymous token
	 * @return what the token may do ({@link Authorizer#ACLS_OFF} while ACLs are off)
	 * @throws AclNotFoundException for a token that does not exist
	 */
	public synchronized Authorizer authorize(String secret) {
		if (!enabled()) {
			return Authorizer.ACLS_OFF;
		}
		boolean named = secret != null && !secret.isEmpty();
		Token token = named ? bySecret(secret) : this.tokens.get(ANONYMOUS_ACCESSOR_ID);
		List<Rule> rules = new ArrayList<>();
		boolean management = false;
		for (String policyId : token.policyIds()) {
			management |= MANAGEMENT_POLICY_ID.equals(policyId);
			Policy policy = this.policies.get(policyId);
			if (policy != null) {
				rules.addAll(policy.parsed());
			}
		}
		return new Authorizer(token.accessorId(), rules, management, named);
	}

	static String tokenOf(HttpServletRequest request) {
		String query = request.getParameter("token");
		if (query != null && !query.isEmpty()) {
			return query;
		}
		String header = request.getHeader("X-Consul-Token");
		if (header != null && !header.isEmpty()) {
			return header;
		}
		String authorization = request.getHeader("Authorization");
		if (authorization != null) {
			String[] parts = authorization.trim().split("\\s+");
			if (parts.length > 1 && parts[0].equalsIgnoreCase("bearer")) {
				return parts[1];
			}
		}
		return "";
	}

	synchronized Token self(String secret) {
		return (secret == null || secret.isEmpty()) ? this.tokens.get(ANONYMOUS_ACCESSOR_ID) : bySecret(secret);
	}

	synchronized Map<String, Object> policyJson(Policy policy) {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("ID", policy.id());
		out.put("Name", policy.name());
		out.put("Description", policy.description());
		out.put("Rules", policy.rules());
		out.put("Datacenters", policy.datacenters().isEmpty() ? null : policy.datacenters());
		out.put("Hash", hash(policy.name() + "\n" + policy.description() + "\n" + policy.rules()));
		out.put("CreateIndex", policy.createIndex());
		out.put("ModifyIndex", policy.modifyIndex());
		return out;
	}

	synchronized Map<String, Object> tokenJson(Token token) {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("AccessorID", token.accessorId());
		out.put("SecretID", token.secretId());
		out.put("Description", token.description());
		List<Map<String, String>> links = new ArrayList<>();
		for (String id : token.policyIds()) {
			Policy policy = this.policies.get(id);
			links.add(Map.of("ID", id, "Name", (policy != null) ? policy.name() : ""));
		}
		out.put("Policies", links);
		out.put("Local", token.local());
		out.put("CreateTime", token.createTime());
		out.put("Hash", hash(token.description() + "\n" + token.policyIds()));
		out.put("CreateIndex", token.createIndex());
		out.put("ModifyIndex", token.modifyIndex());
		return out;
	}

	synchronized List<Policy> policies() {
		return List.copyOf(this.policies.values());
	}

	synchronized List<Token> tokens() {
		return List.copyOf(this.tokens.values());
	}

	synchronized Policy policy(String id) {
		Policy policy = this.policies.get(id);
		if (policy == null) {
			throw new AclNotFoundException();
		}
		return policy;
	}

	synchronized Policy policyNamed(String name) {
		return this.policies.values()
			.stream()
			.filter((policy) -> policy.name().equals(name))
			.findFirst()
			.orElseThrow(AclNotFoundException::new);
	}

	/**
	 * Creates a policy ({@code id} null) or replaces one.
	 */
	synchronized Policy savePolicy(String id, String name, String description, String rules, List<String> datacenters) {
		if (name == null || !POLICY_NAME.matcher(name).matches()) {
			throw new AclRequestException(
					"Invalid Policy: invalid Name. Only alphanumeric characters, '-' and '_' " + "are allowed");
		}
		Policy existing = (id != null) ? policy(id) : null;
		if (MANAGEMENT_POLICY_ID.equals(id)) {
			throw new AclRequestException(
					"Changing the Rules for the builtin global-management policy is not permitted");
		}
		this.policies.values()
			.stream()
			.filter((other) -> other.name().equals(name) && !other.id().equals(id))
			.findAny()
			.ifPresent((other) -> {
				throw new AclRequestException("Invalid Policy: A Policy with Name \"" + name + "\" already exists");
			});
		List<Rule> parsed;
		try {
			parsed = RulesParser.parse((rules != null) ? rules : "");
		}
		catch (IllegalArgumentException ex) {
			throw new AclRequestException("Invalid Policy: " + ex.getMessage());
		}
		long modify = ++this.index;
		Policy policy = new Policy((existing != null) ? existing.id() : UUID.randomUUID().toString(), name,
				(description != null) ? description : "", (rules != null) ? rules : "",
				(datacenters != null) ? datacenters : List.of(), parsed,
				(existing != null) ? existing.createIndex() : modify, modify);
		this.policies.put(policy.id(), policy);
		store();
		logger.info("consul.acl-policy-saved id={} name={}", policy.id(), name);
		return policy;
	}

	synchronized Token token(String accessorId) {
		return this.tokens.values()
			.stream()
			.filter((token) -> token.accessorId().equals(accessorId))
			.findFirst()
			.orElseThrow(AclNotFoundException::new);
	}

	/**
	 * Creates a token ({@code existing} null) or replaces its description and policies.
	 * @param links the policy links of the request: each an ID or a Name
	 */
	synchronized Token saveToken(Token existing, String accessorId, String secretId, String description,
			List<Map<String, String>> links) {
		List<String> policyIds = new ArrayList<>();
		for (Map<String, String> link : links) {
			String id = link.get("ID");
			String name = link.get("Name");
			Policy policy = (id != null && !id.isEmpty()) ? this.policies.get(id)
					: this.policies.values().stream().filter((p) -> p.name().equals(name)).findFirst().orElse(null);
			if (policy == null) {
				throw new AclRequestException("No such ACL policy with "
						+ ((id != null && !id.isEmpty()) ? "ID \"" + id + "\"" : "name \"" + name + "\""));
			}
			policyIds.add(policy.id());
		}
		long modify = ++this.index;
		Token token;
		if (existing == null) {
			String accessor = (accessorId != null && !accessorId.isEmpty()) ? accessorId : UUID.randomUUID().toString();
			String secret = (secretId != null && !secretId.isEmpty()) ? secretId : UUID.randomUUID().toString();
			boolean taken = this.tokens.values()
				.stream()
				.anyMatch((other) -> other.accessorId().equals(accessor) || other.secretId().equals(secret));
			if (taken) {
				throw new AclRequestException("Invalid Token: AccessorID or SecretID is already in use");
			}
			token = new Token(accessor, secret, (description != null) ? description : "", policyIds, false, now(),
					modify, modify);
		}
		else {
			if (secretId != null && !secretId.isEmpty() && !secretId.equals(existing.secretId())) {
				throw new AclRequestException("Changing a token's SecretID is not permitted");
			}
			token = new Token(existing.accessorId(), existing.secretId(),
					(description != null) ? description : existing.description(), policyIds, existing.local(),
					existing.createTime(), existing.createIndex(), modify);
		}
		this.tokens.entrySet().removeIf((entry) -> entry.getValue().accessorId().equals(token.accessorId()));
		this.tokens.put(token.accessorId(), token);
		store();
		logger.info("consul.acl-token-saved accessorId={} policies={}", token.accessorId(), policyIds.size());
		return token;
	}

	private Token bySecret(String secret) {
		return this.tokens.values()
			.stream()
			.filter((token) -> MessageDigest.isEqual(token.secretId().getBytes(StandardCharsets.UTF_8),
					secret.getBytes(StandardCharsets.UTF_8)))
			.findFirst()
			.orElseThrow(AclNotFoundException::new);
	}

	private record Saved(List<Policy> policies, List<Token> tokens, long index) {

	}

	private void load() {
		if (!enabled() || !Files.exists(this.file)) {
			return;
		}
		try {
			Saved saved = this.json.readValue(this.file.toFile(), Saved.class);
			saved.policies().forEach((policy) -> this.policies.put(policy.id(), policy));
			saved.tokens().forEach((token) -> this.tokens.put(token.accessorId(), token));
			this.index = Math.max(this.index, saved.index());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the ACL state in " + this.file, ex);
		}
	}

	private void store() {
		List<Policy> own = this.policies.values()
			.stream()
			.filter((policy) -> !MANAGEMENT_POLICY_ID.equals(policy.id()))
			.toList();
		// the management token comes from the settings at each start
		List<Token> kept = this.tokens.values()
			.stream()
			.filter((token) -> !token.secretId().equals(this.properties.consulManagementToken()))
			.toList();
		try {
			DurableFiles.write(this.file, this.json.writeValueAsBytes(new Saved(own, kept, this.index)), true);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot record the ACL state in " + this.file, ex);
		}
	}

	private static String now() {
		return OffsetDateTime.now().toString();
	}

	private static String hash(String content) {
		try {
			return Base64.getEncoder()
				.encodeToString(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
