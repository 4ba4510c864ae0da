package io.github.redisonmesos.broker.web;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.cloud.servicebroker.exception.ServiceDefinitionDoesNotExistException;
import org.springframework.cloud.servicebroker.exception.ServiceDefinitionPlanDoesNotExistException;
import org.springframework.cloud.servicebroker.model.error.ErrorMessage;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * An unknown service or plan id is a malformed request (OSB: 400), where the framework
 * answers 422.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class UnknownCatalogIdAdvice {

	@ExceptionHandler({ ServiceDefinitionDoesNotExistException.class,
			ServiceDefinitionPlanDoesNotExistException.class })
	@ResponseStatus(HttpStatus.BAD_REQUEST)
	ErrorMessage unknownCatalogId(ServiceBrokerException ex) {
		return new ErrorMessage(ex.getMessage() + "; use an id from GET /v2/catalog.");
	}

}
