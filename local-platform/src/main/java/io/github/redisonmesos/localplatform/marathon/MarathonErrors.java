package io.github.redisonmesos.localplatform.marathon;

import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

@RestControllerAdvice(basePackageClasses = MarathonErrors.class)
class MarathonErrors {

	@ExceptionHandler(MarathonException.class)
	ResponseEntity<Map<String, Object>> marathonError(MarathonException ex) {
		return ResponseEntity.status(ex.status()).body(ex.body());
	}

}
