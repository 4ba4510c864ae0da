package io.github.redisonmesos.broker.remote;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriUtils;

/**
 * A remote dependency (Marathon, Consul or libStorage) reached over HTTP: a pooled
 * {@link RestClient}, URIs built from encoded segments, and every call run through
 * {@link #call(String, Supplier)}, so that its failures are translated
 * ({@link RemoteErrors}) and it is timed ({@link RemoteCallTimers}).
 */
public final class RemoteClient {

	// the URL without a trailing slash, where every path starts
	private final String base;

	private final RestClient restClient;

	private final RemoteErrors errors;

	private final RemoteCallTimers timers;

	/**
	 * Create a client.
	 * @param name the dependency's name as a person knows it ("Consul")
	 * @param url its base URL
	 * @param variable the environment variable that sets the URL
	 * @param credentials the environment variables that set the credentials the builder
	 * sends, and what they are ("CONSUL_TOKEN, the ACL token the broker sends to
	 * Consul"), named when the dependency answers 401 or 403
	 * @param timeout connect and read timeout
	 * @param ssl the SSL bundle that HTTPS trusts (the operator's CA); {@code null} for
	 * the JVM's trust store
	 * @param builder the auto-configured builder, with any authentication already set
	 * @param meters where call timings go
	 */
	public RemoteClient(String name, URI url, String variable, String credentials, Duration timeout, SslBundle ssl,
			RestClient.Builder builder, MeterRegistry meters) {
		this.base = url.toString().replaceAll("/+$", "");
		this.restClient = builder.requestFactory(PooledRequestFactory.create(timeout, ssl)).build();
		this.errors = new RemoteErrors(name, url, variable, credentials);
		this.timers = new RemoteCallTimers(name, meters);
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
		Timer.Sample sample = this.timers.start();
		String outcome = "success";
		try {
			return request.get();
		}
		catch (RuntimeException ex) {
			RemoteErrors.Translated translated = this.errors.translate(ex);
			outcome = translated.outcome();
			throw translated.error();
		}
		finally {
			this.timers.stop(sample, call, outcome);
		}
	}

	@Override
	public String toString() {
		return this.errors.name() + " at " + this.errors.url();
	}

}
