package io.github.redisonmesos.broker.binding;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisLocation;
import io.github.redisonmesos.broker.deployment.RegistryAccess;
import io.github.redisonmesos.broker.security.Sealed;
import io.github.redisonmesos.broker.security.SecretBox;

import org.springframework.stereotype.Component;

/**
 * The credentials a binding hands out, and their sealed form in the binding record: the
 * Redis address as Consul lists it now, the binding's own user and password, and where
 * the app can ask Consul again after Redis moves. Never the instance's admin password.
 */
@Component
public class BindingCredentials {

	private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
	};

	private final SecretBox secrets;

	private final ObjectMapper objectMapper;

	private final RedisDiscovery discovery;

	BindingCredentials(SecretBox secrets, ObjectMapper objectMapper, RedisDiscovery discovery) {
		this.secrets = secrets;
		this.objectMapper = objectMapper;
		this.discovery = discovery;
	}

	Map<String, Object> create(RedisLocation location, RedisEndpoint redis, String username, String password) {
		Map<String, Object> credentials = new LinkedHashMap<>();
		credentials.put("host", redis.host());
		credentials.put("port", redis.port());
		credentials.put("username", username);
		credentials.put("password", password);
		credentials.put("uri", "redis://" + username + ":" + password + "@" + redis.host() + ":" + redis.port());
		RegistryAccess consul = this.discovery.forApps();
		credentials.put("consul_url", consul.url());
		credentials.put("consul_datacenter", consul.datacenter());
		credentials.put("consul_service", location.service());
		if (consul.hasToken()) {
			credentials.put("consul_token", consul.token());
		}
		return credentials;
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
