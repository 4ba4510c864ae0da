package io.github.redisonmesos.broker.binding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.deployment.HaNode;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisLocation;
import io.github.redisonmesos.broker.deployment.RegistryAccess;
import io.github.redisonmesos.broker.deployment.ServiceNames;
import io.github.redisonmesos.broker.instance.HaSecrets;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.security.Sealed;
import io.github.redisonmesos.broker.security.SecretBox;

import org.springframework.stereotype.Component;

/**
 * The credentials a binding hands out, and their sealed form in the binding record: the
 * Redis address ({@code broker.credentials.host-style}) on the instance's own port, the
 * binding's own user and password, and where the app can ask Consul again after Redis
 * moves. Never the instance's admin password.
 */
@Component
public class BindingCredentials {

	private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
	};

	private final SecretBox secrets;

	private final ObjectMapper objectMapper;

	private final RedisDiscovery discovery;

	private final CredentialsProperties properties;

	BindingCredentials(SecretBox secrets, ObjectMapper objectMapper, RedisDiscovery discovery,
			CredentialsProperties properties) {
		this.secrets = secrets;
		this.objectMapper = objectMapper;
		this.discovery = discovery;
		this.properties = properties;
	}

	Map<String, Object> create(InstanceRecord instance, RedisLocation location, RedisEndpoint redis, String username,
			String password) {
		RedisEndpoint address = address(instance, location, redis);
		Map<String, Object> credentials = new LinkedHashMap<>();
		credentials.put("host", address.host());
		credentials.put("port", address.port());
		credentials.put("username", username);
		credentials.put("password", password);
		credentials.put("uri", "redis://" + username + ":" + password + "@" + address);
		RegistryAccess consul = this.discovery.forApps();
		credentials.put("consul_url", consul.url());
		credentials.put("consul_datacenter", consul.datacenter());
		credentials.put("consul_service", location.service());
		if (consul.hasToken()) {
			credentials.put("consul_token", consul.token());
		}
		return credentials;
	}

	// the address apps are handed: Consul's DNS name or the address listed now, on the
	// instance's own port, which survives moves (or the port listed now, for an instance
	// without one); an HA instance's primary at bind time, which no DNS name follows
	// (Sentinel clients use master_name and sentinels)
	private RedisEndpoint address(InstanceRecord instance, RedisLocation location, RedisEndpoint redis) {
		int port = (instance.port() != 0) ? instance.port() : redis.port();
		if (instance.ha() == null && this.properties.hostStyle() == CredentialsProperties.HostStyle.CONSUL_DNS) {
			return new RedisEndpoint(location.service() + ".service." + this.properties.consulDomain(), port);
		}
		return new RedisEndpoint(redis.host(), port);
	}

	// what Sentinel clients need beside (the keys of Tanzu's HA Redis binding): where the
	// Sentinels are, under which name they monitor the primary, and the same user and
	// password on the Sentinels; and the Sentinels once more as Spring Boot's
	// spring.data.redis.sentinel.nodes takes them (host:port,...), so that one
	// placeholder maps them
	void addHa(Map<String, Object> credentials, InstanceRecord instance, List<HaNode> nodes, String username,
			String password) {
		credentials.put("master_name", HaSecrets.masterName(instance.instanceId()));
		List<Map<String, Object>> sentinels = new ArrayList<>();
		List<String> sentinelNodes = new ArrayList<>();
		for (HaNode node : nodes) {
			Map<String, Object> sentinel = new LinkedHashMap<>();
			sentinel.put("host", node.sentinel().host());
			sentinel.put("port", node.sentinel().port());
			sentinels.add(sentinel);
			sentinelNodes.add(node.sentinel().host() + ":" + node.sentinel().port());
		}
		credentials.put("sentinels", sentinels);
		credentials.put("sentinel_nodes", String.join(",", sentinelNodes));
		credentials.put("sentinel_username", username);
		credentials.put("sentinel_password", password);
		credentials.put("consul_sentinel_service", ServiceNames.sentinelOf(instance.instanceId()));
	}

	Sealed seal(Map<String, Object> credentials, String instanceId, String bindingId) {
		try {
			return this.secrets.seal(this.objectMapper.writeValueAsString(credentials),
					BindingRecord.credentialsContext(instanceId, bindingId));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Credentials are plain strings and numbers", ex);
		}
	}

	Map<String, Object> open(BindingRecord record) {
		String json = this.secrets.open(record.credentials(), record.credentialsContext());
		try {
			return this.objectMapper.readValue(json, JSON_OBJECT);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(
					"The sealed credentials of binding " + record.bindingId() + " are not a JSON object once opened",
					ex);
		}
	}

	/**
	 * Whether a binding's credentials were sealed with
	 * {@code BROKER_SECRETS_KEY_PREVIOUS}.
	 * @param record the binding record
	 * @return true when they should be sealed again
	 */
	public boolean sealedWithOlderKey(BindingRecord record) {
		return this.secrets.sealedWithOlderKey(record.credentials());
	}

	/**
	 * The record with its credentials sealed again with the current key.
	 * @param record the binding record
	 * @return the record to write
	 */
	public BindingRecord resealed(BindingRecord record) {
		String credentials = this.secrets.open(record.credentials(), record.credentialsContext());
		return record.withCredentials(this.secrets.seal(credentials, record.credentialsContext()));
	}

	static String password(Map<String, Object> credentials) {
		return String.valueOf(credentials.get("password"));
	}

}
