package io.github.redisonmesos.localplatform.marathon;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * What Marathon's resources share: reading a JSON object body, and the answer of an
 * operation that starts a deployment.
 */
@Component
class MarathonRequests {

	static final String DEPLOYMENT_HEADER = "Marathon-Deployment-Id";

	private final ObjectMapper objectMapper;

	MarathonRequests(ObjectMapper objectMapper) {
		this.objectMapper = objectMapper;
	}

	JsonNode object(String body) {
		try {
			JsonNode json = (body != null) ? this.objectMapper.readTree(body) : null;
			if (json == null || !json.isObject()) {
				throw MarathonException.invalidJson(List.of(MarathonException.detail("/", "error.expected.jsobject")));
			}
			return json;
		}
		catch (JsonProcessingException ex) {
			throw MarathonException.invalidJson(List.of(MarathonException.detail("/", ex.getOriginalMessage())));
		}
	}

	static ResponseEntity<Object> deploymentAnswer(HttpStatus status, Deployment deployment) {
		return ResponseEntity.status(status)
			.header(DEPLOYMENT_HEADER, deployment.id())
			.body(MarathonJson.deploymentResult(deployment));
	}

	static void checkScaleOrWipe(boolean scale, boolean wipe) {
		if (scale && wipe) {
			throw new MarathonException(HttpStatus.BAD_REQUEST, "You cannot use scale and wipe at the same time.", null,
					null);
		}
	}

}
