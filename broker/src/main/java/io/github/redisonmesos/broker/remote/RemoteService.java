package io.github.redisonmesos.broker.remote;

import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * A remote dependency (Marathon or Consul) reached over HTTP. Every call goes through
 * {@link #call(Supplier)} so that a user sees which dependency failed and where, never a
 * stack trace.
 */
public final class RemoteService {

	private final String name;

	private final URI url;

	private final String variable;

	private final String tokenVariable;

	private final RestClient restClient;

	/**
	 * Create a remote service.
	 * @param name the dependency's name as a person knows it ("Marathon")
	 * @param url its base URL
	 * @param variable the environment variable that sets the URL
	 * @param timeout connect and read timeout
	 * @param builder the auto-configured builder
	 */
	public RemoteService(String name, URI url, String variable, Duration timeout, RestClient.Builder builder) {
		this(name, url, variable, null, timeout, builder);
	}

	/**
	 * Create a remote service that the builder authenticates to, for instance with a
	 * default token header.
	 * @param name the dependency's name as a person knows it ("Consul")
	 * @param url its base URL
	 * @param variable the environment variable that sets the URL
	 * @param tokenVariable the environment variable that sets the token, named when the
	 * dependency answers 401 or 403; {@code null} when there is none
	 * @param timeout connect and read timeout
	 * @param builder the auto-configured builder, with any authentication already set
	 */
	public RemoteService(String name, URI url, String variable, String tokenVariable, Duration timeout,
			RestClient.Builder builder) {
		this.name = name;
		this.url = url;
		this.variable = variable;
		this.tokenVariable = tokenVariable;
		SimpleClientHttpRequestFactory requestFactory = new SimpleClientHttpRequestFactory();
		requestFactory.setConnectTimeout(timeout);
		requestFactory.setReadTimeout(timeout);
		this.restClient = builder.baseUrl(url.toString()).requestFactory(requestFactory).build();
	}

	/**
	 * The client for this dependency.
	 * @return the RestClient with the base URL set
	 */
	public RestClient restClient() {
		return this.restClient;
	}

	/**
	 * Run a call, translating transport failures and 5xx answers.
	 * @param <T> the result type
	 * @param call the call; 4xx answers it does not handle itself are reported too, as
	 * needing an operator rather than a retry
	 * @return the call's result
	 */
	public <T> T call(Supplier<T> call) {
		try {
			return call.get();
		}
		catch (ResourceAccessException ex) {
			throw unreachable(ex);
		}
		catch (RestClientResponseException ex) {
			String advice = advice(ex.getStatusCode().value());
			throw new ServiceBrokerUnavailableException(this.name + " at " + this.url + " answered "
					+ ex.getStatusCode().value() + " (" + abbreviate(ex.getResponseBodyAsString()) + "); " + advice,
					ex);
		}
		catch (RestClientException ex) {
			// e.g. the connection dropped while the answer was read
			throw unreachable(ex);
		}
	}

	// a 4xx does not go away by itself: point the operator at the setting to fix; the
	// token is named by its variable only, never by its value
	private String advice(int status) {
		if ((status == 401 || status == 403) && this.tokenVariable != null) {
			return "retrying will not help: check " + this.tokenVariable + ", the ACL token the broker sends to "
					+ this.name + " (it is missing, unknown to " + this.name + " or lacks a permission).";
		}
		if (status >= 400 && status < 500) {
			return "retrying will not help: check " + this.variable + " and the broker's " + this.name + " settings.";
		}
		return "retry later.";
	}

	private ServiceBrokerUnavailableException unreachable(RestClientException ex) {
		return new ServiceBrokerUnavailableException(this.name + " at " + this.url + " is unreachable ("
				+ rootMessage(ex) + "); check " + this.variable + " and that " + this.name + " is running.", ex);
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

	@Override
	public String toString() {
		return this.name + " at " + this.url;
	}

}
