package io.github.redisonmesos.broker.remote;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriUtils;

/**
 * A remote dependency (Marathon, Consul or libStorage) reached over HTTP: a pooled
 * {@link RestClient}, URIs built from encoded segments, and every call run through
 * {@link #call(String, Supplier)}, so that its failures are translated
 * ({@link RemoteErrors}) and it is timed ({@link RemoteCallTimers}).
 */
public final class RemoteClient {

	private final URI url;

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
	 * @param tokenVariable the environment variable that sets the token the builder
	 * sends, named when the dependency answers 401 or 403; {@code null} when there is
	 * none
	 * @param timeout connect and read timeout
	 * @param builder the auto-configured builder, with any authentication already set
	 * @param meters where call timings go
	 */
	public RemoteClient(String name, URI url, String variable, String tokenVariable, Duration timeout,
			RestClient.Builder builder, MeterRegistry meters) {
		this.url = url;
		this.base = url.toString().replaceAll("/+$", "");
		this.restClient = builder.requestFactory(PooledRequestFactory.create(timeout)).build();
		this.errors = new RemoteErrors(name, url, variable, tokenVariable);
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
		return this.errors.name() + " at " + this.url;
	}

}
