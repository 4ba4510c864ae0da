package io.github.redisonmesos.localplatform.libstorage;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The libStorage routes a client needs to find and remove volumes, as
 * {@code libstorage.apib} describes them: {@code GET /volumes/{service}} answers a map of
 * volumes by id, {@code DELETE /volumes/{service}/{volumeID}} answers 205 without a body;
 * errors are {@code {"type", "httpStatus", "message"}}. The platform has one service,
 * {@value #SERVICE}; another name is not found.
 */
@RestController
class LibStorageController {

	static final String SERVICE = "local";

	private static final Logger logger = LoggerFactory.getLogger(LibStorageController.class);

	private final ExternalVolumes volumes;

	LibStorageController(ExternalVolumes volumes) {
		this.volumes = volumes;
	}

	@GetMapping("/volumes/{service}")
	ResponseEntity<Object> volumes(@PathVariable String service) {
		if (!SERVICE.equals(service)) {
			return notFound();
		}
		Map<String, Object> byId = new LinkedHashMap<>();
		for (ExternalVolumes.Volume volume : this.volumes.list()) {
			// sizes are not tracked: a directory grows as its data does
			byId.put(volume.id(), Map.of("id", volume.id(), "name", volume.name(), "size", 0, "fields", Map.of()));
		}
		return ResponseEntity.ok(byId);
	}

	@DeleteMapping("/volumes/{service}/{volumeId}")
	ResponseEntity<Object> remove(@PathVariable String service, @PathVariable String volumeId) {
		if (!SERVICE.equals(service) || !this.volumes.remove(volumeId)) {
			return notFound();
		}
		return ResponseEntity.status(HttpStatus.RESET_CONTENT).build();
	}

	@ExceptionHandler(UncheckedIOException.class)
	ResponseEntity<Object> failed(UncheckedIOException ex) {
		logger.error("libstorage.failed reason={}", ex.getMessage());
		return error(HttpStatus.INTERNAL_SERVER_ERROR, "internalServerError", "An internal server error occurred");
	}

	private static ResponseEntity<Object> notFound() {
		return error(HttpStatus.NOT_FOUND, "resourceNotFound", "The requested resource was not found");
	}

	private static ResponseEntity<Object> error(HttpStatus status, String type, String message) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", type);
		body.put("httpStatus", status.value());
		body.put("message", message);
		return ResponseEntity.status(status).body(body);
	}

}
