package io.github.redisonmesos.broker.binding;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisonmesos.broker.consul.ConsulProperties;
import io.github.redisonmesos.broker.deployment.RedisDiscovery;
import io.github.redisonmesos.broker.deployment.RedisEndpoint;
import io.github.redisonmesos.broker.deployment.RedisLocation;
import io.github.redisonmesos.broker.security.SecretBox;
import io.github.redisonmesos.broker.security.Sealed;

import org.springframework.stereotype.Component;

/**
 * The credentials a binding hands out, and their sealed form in the binding record: the
 * Redis address as Consul lists it now, the binding's own user and password, and where
 * the app can ask Consul again after Redis moves. Never the instance's admin password.
 */
@Component
class BindingCredentials {

	private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
	};

	private final SecretBox secrets;

	private final ObjectMapper objectMapper;

	private final RedisDiscovery discovery;

	private final String consulAppUrl;

	private final String consulAppToken;

	BindingCredentials(SecretBox secrets, ObjectMapper objectMapper, RedisDiscovery discovery,
			ConsulProperties consulProperties) {
		this.secrets = secrets;
		this.objectMapper = objectMapper;
		this.discovery = discovery;
		this.consulAppUrl = consulProperties.appUrl().toString();
		// empty when CONSUL_APP_TOKEN is not set: then the credentials have no
		// consul_token
		this.consulAppToken = consulProperties.appToken();
	}

	Map<String, Object> create(RedisLocation location, RedisEndpoint redis, String username, String password) {
		Map<String, Object> credentials = new LinkedHashMap<>();
		credentials.put("host", redis.host());
		credentials.put("port", redis.port());
		credentials.put("username", username);
		credentials.put("password", password);
		credentials.put("uri", "redis://" + username + ":" + password + "@" + redis.host() + ":" + redis.port());
		credentials.put("consul_url", this.consulAppUrl);
		credentials.put("consul_datacenter", this.discovery.datacenter());
		credentials.put("consul_service", location.service());
		if (!this.consulAppToken.isEmpty()) {
			credentials.put("consul_token", this.consulAppToken);
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

	boolean sealedWithOlderKey(BindingRecord record) {
		return this.secrets.sealedWithOlderKey(record.credentials());
	}

	BindingRecord resealed(BindingRecord record) {
		String credentials = this.secrets.open(record.credentials(), record.credentialsContext());
		return record.withCredentials(this.secrets.seal(credentials, record.credentialsContext()));
	}

	static String password(Map<String, Object> credentials) {
		return String.valueOf(credentials.get("password"));
	}

}
