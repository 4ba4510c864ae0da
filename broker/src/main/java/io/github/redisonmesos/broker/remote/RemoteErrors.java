package io.github.redisonmesos.broker.remote;

import java.net.URI;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Turns a failed call to a dependency into the OSB error a user reads: which dependency
 * failed and where, never a stack trace. A 5xx or an unreachable dependency is a 503,
 * which tells the platform to retry; a 4xx the call does not handle itself will not go
 * away by retrying, so it is a broker error (500) that names the setting to check.
 *
 * @param name the dependency's name as a person knows it ("Consul")
 * @param url its base URL
 * @param variable the environment variable that sets the URL
 * @param credentials the environment variables that set the credentials the client sends,
 * and what they are, named when the dependency answers 401 or 403
 */
record RemoteErrors(String name, URI url, String variable, String credentials) {

	RemoteErrors {
		// credentials written into the URL (https://user:password@host) never reach a
		// description: the URL is shown without them
		url = withoutUserInfo(url);
	}

	static URI withoutUserInfo(URI url) {
		if (url.getRawUserInfo() == null) {
			return url;
		}
		return URI.create(url.toString().replace(url.getRawUserInfo() + "@", ""));
	}

	/**
	 * The translated error and the outcome it is timed under.
	 *
	 * @param error what to throw
	 * @param outcome {@code unreachable}, {@code client_error}, {@code server_error} or
	 * {@code error}
	 */
	record Translated(RuntimeException error, String outcome) {

	}

	Translated translate(RuntimeException ex) {
		if (ex instanceof RestClientResponseException answer) {
			int status = answer.getStatusCode().value();
			String answered = this.name + " at " + this.url + " answered " + status + " ("
					+ abbreviate(answer.getResponseBodyAsString()) + "); ";
			if (status >= 400 && status < 500) {
				return new Translated(new ServiceBrokerException(answered + advice(status), ex), "client_error");
			}
			return new Translated(new ServiceBrokerUnavailableException(answered + "retry later.", ex), "server_error");
		}
		if (ex instanceof RestClientException) {
			// unreachable, or e.g. the connection dropped while the answer was read
			return new Translated(new ServiceBrokerUnavailableException(
					this.name + " at " + this.url + " is unreachable (" + rootMessage(ex) + "); check " + this.variable
							+ " and that " + this.name + " is running.",
					ex), "unreachable");
		}
		return new Translated(ex, "error");
	}

	// a 4xx does not go away by itself: point the operator at the setting to fix;
	// credentials are named by their variables only, never by their values
	private String advice(int status) {
		if (status == 401 || status == 403) {
			return "retrying will not help: check " + this.credentials + " (missing, unknown to " + this.name
					+ " or lacking a permission).";
		}
		return "retrying will not help: check " + this.variable + " and the broker's " + this.name + " settings.";
	}

	private static String rootMessage(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
	}

	private static String abbreviate(String body) {
		String oneLine = body.replaceAll("\\s+", " ").trim();
		return (oneLine.length() > 200) ? oneLine.substring(0, 200) + "..." : oneLine;
	}

}
