package io.github.redisonmesos.broker.web;

import io.github.redisonmesos.broker.osb.BadRequestException;
import io.github.redisonmesos.broker.osb.ResourceNotFoundException;
import io.github.redisonmesos.broker.osb.UnprocessableException;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.cloud.servicebroker.exception.ServiceDefinitionDoesNotExistException;
import org.springframework.cloud.servicebroker.exception.ServiceDefinitionPlanDoesNotExistException;
import org.springframework.cloud.servicebroker.model.error.ErrorMessage;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Status codes the OSB spec gives where the framework answers otherwise (its 422 for an
 * unknown catalog id, its 500 for a query parameter of the wrong type), the 404 of a
 * resource that does not exist, the 422 of a change the instance's state does not allow,
 * and OSB error bodies for a path or method no endpoint serves.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class OsbErrorAdvice {

	@ExceptionHandler({ ServiceDefinitionDoesNotExistException.class,
			ServiceDefinitionPlanDoesNotExistException.class })
	@ResponseStatus(HttpStatus.BAD_REQUEST)
	ErrorMessage unknownCatalogId(ServiceBrokerException ex) {
		return new ErrorMessage(ex.getMessage() + "; use an id from GET /v2/catalog.");
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	@ResponseStatus(HttpStatus.BAD_REQUEST)
	ErrorMessage wrongParameterType(MethodArgumentTypeMismatchException ex) {
		String expected = (ex.getRequiredType() == boolean.class || ex.getRequiredType() == Boolean.class)
				? "true or false" : "a " + ex.getRequiredType().getSimpleName();
		return new ErrorMessage("The parameter " + ex.getName() + " must be " + expected + ", not "
				+ RequestIds.quote(String.valueOf(ex.getValue())) + ".");
	}

	@ExceptionHandler(NoResourceFoundException.class)
	@ResponseStatus(HttpStatus.NOT_FOUND)
	ErrorMessage noSuchEndpoint(NoResourceFoundException ex) {
		// e.g. an id holding a raw '/', which adds a path segment
		return new ErrorMessage("This broker has no endpoint " + RequestIds.quote(ex.getResourcePath())
				+ "; it serves the OSB API 2.x under /v2 (ids may not hold '/').");
	}

	@ExceptionHandler(HttpRequestMethodNotSupportedException.class)
	@ResponseStatus(HttpStatus.METHOD_NOT_ALLOWED)
	ErrorMessage methodNotAllowed(HttpRequestMethodNotSupportedException ex) {
		return new ErrorMessage("This endpoint does not accept " + ex.getMethod() + "; it accepts "
				+ ex.getSupportedHttpMethods() + ".");
	}

	@ExceptionHandler(ResourceNotFoundException.class)
	@ResponseStatus(HttpStatus.NOT_FOUND)
	ErrorMessage notFound(ResourceNotFoundException ex) {
		return new ErrorMessage(ex.getMessage());
	}

	@ExceptionHandler(UnprocessableException.class)
	@ResponseStatus(HttpStatus.UNPROCESSABLE_ENTITY)
	ErrorMessage unprocessable(UnprocessableException ex) {
		return new ErrorMessage(ex.getMessage());
	}

	@ExceptionHandler(BadRequestException.class)
	@ResponseStatus(HttpStatus.BAD_REQUEST)
	ErrorMessage badRequest(BadRequestException ex) {
		return new ErrorMessage(ex.getMessage());
	}

}
