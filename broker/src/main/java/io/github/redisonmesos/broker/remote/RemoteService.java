package io.github.redisonmesos.broker.remote;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import io.micrometer.core.instrument.Timer;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerUnavailableException;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.util.UriUtils;

/**
 * A remote dependency (Marathon or Consul) reached over HTTP. Every call goes through
 * {@link #call(String, Supplier)}, so that a user sees which dependency failed and where,
 * never a stack trace, and so that each call is timed as {@code broker.remote.calls}
 * ({@code service}, {@code call}, {@code outcome}). A 5xx or an unreachable dependency is
 * answered 503, which tells the platform to retry; a 4xx the call does not handle itself
 * will not go away by retrying, so it is a broker error (500) that names the setting to
 * check.
 */
public final class RemoteService {

	/**
	 * Connections kept per dependency: at least Tomcat's worker threads that can call it
	 * at once.
	 */
	static final int MAX_CONNECTIONS = 200;

	private final String name;

	private final URI url;

	// the URL without a trailing slash, where every path starts
	private final String base;

	private final String variable;

	private final String tokenVariable;

	private final RestClient restClient;

	private final MeterRegistry meters;

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	/**
	 * Create a remote service.
	 * @param name the dependency's name as a person knows it ("Consul")
	 * @param url its base URL
	 * @param variable the environment variable that sets the URL
	 * @param tokenVariable the environment variable that sets the token the builder
	 * sends, named when the dependency answers 401 or 403; {@code null} when there is
	 * none
	 * @param timeout connect and read timeout
	 * @param builder the auto-configured builder, with any authentication already set
	 * @param meters where call timings go
	 */
	public RemoteService(String name, URI url, String variable, String tokenVariable, Duration timeout,
			RestClient.Builder builder, MeterRegistry meters) {
		this.name = name;
		this.url = url;
		this.base = url.toString().replaceAll("/+$", "");
		this.variable = variable;
		this.tokenVariable = tokenVariable;
		this.meters = meters;
		this.restClient = builder.requestFactory(requestFactory(timeout)).build();
	}

	// a pool of kept-alive connections as large as the number of requests that can run at
	// once (HttpURLConnection keeps 5 and opens a connection for every request beyond;
	// the
	// JDK's HttpClient cost twice the CPU per call in a profile under load)
	private static ClientHttpRequestFactory requestFactory(Duration timeout) {
		Timeout limit = Timeout.of(timeout);
		PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
			.setMaxConnTotal(MAX_CONNECTIONS)
			.setMaxConnPerRoute(MAX_CONNECTIONS)
			.setDefaultConnectionConfig(
					ConnectionConfig.custom().setConnectTimeout(limit).setSocketTimeout(limit).build())
			.build();
		CloseableHttpClient client = HttpClients.custom()
			.setConnectionManager(connections)
			.setDefaultRequestConfig(
					RequestConfig.custom().setConnectionRequestTimeout(limit).setResponseTimeout(limit).build())
			.disableAutomaticRetries()
			.disableRedirectHandling()
			.disableCookieManagement()
			.build();
		return new HttpComponentsClientHttpRequestFactory(client);
	}

	/**
	 * The client for this dependency; calls pass absolute URIs from
	 * {@link #uri(List, boolean, String)}.
	 * @return the RestClient
	 */
	public RestClient restClient() {
		return this.restClient;
	}

	/**
	 * An absolute URI below the base URL, built from segments that are each
	 * percent-encoded on their own: a segment holding {@code /}, {@code ?}, {@code #},
	 * {@code %} or {@code ..} stays one segment.
	 * @param segments the path segments
	 * @param trailingSlash whether the path ends in {@code /} (a Consul KV folder)
	 * @param query the query string including its {@code ?}, built from trusted values
	 * only; empty for none
	 * @return the URI
	 */
	public URI uri(List<String> segments, boolean trailingSlash, String query) {
		StringBuilder path = new StringBuilder(this.base);
		for (String segment : segments) {
			String encoded = UriUtils.encode(segment, StandardCharsets.UTF_8);
			// "." and ".." are unreserved, so they survive encoding; as whole segments
			// a client or proxy would resolve them
			path.append('/')
				.append(encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded);
		}
		if (trailingSlash) {
			path.append('/');
		}
		return URI.create(path + query);
	}

	/**
	 * Run a call, translating transport failures and error answers.
	 * @param <T> the result type
	 * @param call what the call does, for the timing metric ({@code kv_get})
	 * @param request the call; 4xx answers it does not handle itself are reported as
	 * needing an operator rather than a retry
	 * @return the call's result
	 */
	public <T> T call(String call, Supplier<T> request) {
		Timer.Sample sample = Timer.start(this.meters);
		String outcome = "success";
		try {
			return request.get();
		}
		catch (ResourceAccessException ex) {
			outcome = "unreachable";
			throw unreachable(ex);
		}
		catch (RestClientResponseException ex) {
			int status = ex.getStatusCode().value();
			String answered = this.name + " at " + this.url + " answered " + status + " ("
					+ abbreviate(ex.getResponseBodyAsString()) + "); ";
			if (status >= 400 && status < 500) {
				outcome = "client_error";
				throw new ServiceBrokerException(answered + advice(status), ex);
			}
			outcome = "server_error";
			throw new ServiceBrokerUnavailableException(answered + "retry later.", ex);
		}
		catch (RestClientException ex) {
			// e.g. the connection dropped while the answer was read
			outcome = "unreachable";
			throw unreachable(ex);
		}
		catch (RuntimeException ex) {
			outcome = "error";
			throw ex;
		}
		finally {
			String result = outcome;
			sample.stop(this.timers.computeIfAbsent(call + " " + result,
					(key) -> Timer.builder("broker.remote.calls")
						.description("Calls to Marathon and Consul")
						.tag("service", this.name.toLowerCase(Locale.ROOT))
						.tag("call", call)
						.tag("outcome", result)
						.register(this.meters)));
		}
	}

	// a 4xx does not go away by itself: point the operator at the setting to fix; the
	// token is named by its variable only, never by its value
	private String advice(int status) {
		if ((status == 401 || status == 403) && this.tokenVariable != null) {
			return "retrying will not help: check " + this.tokenVariable + ", the ACL token the broker sends to "
					+ this.name + " (it is missing, unknown to " + this.name + " or lacks a permission).";
		}
		return "retrying will not help: check " + this.variable + " and the broker's " + this.name + " settings.";
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
