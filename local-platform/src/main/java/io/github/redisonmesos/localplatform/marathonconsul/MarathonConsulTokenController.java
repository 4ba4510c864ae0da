package io.github.redisonmesos.localplatform.marathonconsul;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code PUT /local-platform/marathon-consul/token} on the Marathon port, outside
 * Marathon's API: hands the bridge the Consul token it registers with (the body, as
 * text), as an operator puts marathon-consul's {@code --consul-token} into its
 * configuration. 204; the token is never logged.
 */
@RestController
class MarathonConsulTokenController {

	private static final Logger logger = LoggerFactory.getLogger(MarathonConsulTokenController.class);

	private final MarathonConsulBridge bridge;

	MarathonConsulTokenController(MarathonConsulBridge bridge) {
		this.bridge = bridge;
	}

	@PutMapping("/local-platform/marathon-consul/token")
	ResponseEntity<Void> token(@RequestBody(required = false) String token) {
		this.bridge.useToken((token != null) ? token.trim() : "");
		logger.info("marathon-consul.token-replaced");
		return ResponseEntity.noContent().build();
	}

}
