package io.github.redisonmesos.counter.discovery;

import java.util.function.Supplier;

import org.apache.http.Header;
import org.apache.http.HttpResponse;
import org.apache.http.HttpResponseInterceptor;
import org.apache.http.protocol.HttpContext;

/**
 * Consul's {@value #NAME} header, which consul-api 1.4.5's {@code HttpResponse} drops: an
 * interceptor on the Consul HTTP client ({@link DiscoveryConfiguration}) notes it for the
 * thread that made the call, and {@link #during(Supplier)} reads it right after. Apache
 * HttpClient 4 runs response interceptors on the calling thread, inside {@code execute},
 * before consul-api sees the answer.
 * <p>
 * Consul 1.11+ sets the header to {@code true} on a listing from which its ACLs removed
 * entries (a token without {@code service:read} on the service or {@code node:read} on a
 * node), and only for a request made with a token (its own, or the agent's default); it
 * never sends {@code false}.
 */
final class AclFilterHeader implements HttpResponseInterceptor {

	static final String NAME = "X-Consul-Results-Filtered-By-ACLs";

	private static final ThreadLocal<Boolean> SEEN = new ThreadLocal<>();

	@Override
	public void process(HttpResponse response, HttpContext context) {
		Header header = response.getFirstHeader(NAME);
		SEEN.set(header != null && "true".equalsIgnoreCase(header.getValue()));
	}

	/**
	 * Makes a call and says whether Consul's answer to it was filtered by ACLs.
	 * @param <T> the call's answer
	 * @param call one request through a client built with this interceptor
	 * @return the answer and whether it was filtered
	 */
	static <T> Noted<T> during(Supplier<T> call) {
		SEEN.remove();
		try {
			T answer = call.get();
			return new Noted<>(answer, Boolean.TRUE.equals(SEEN.get()));
		}
		finally {
			SEEN.remove();
		}
	}

	/**
	 * An answer and whether Consul's ACLs removed entries from it.
	 *
	 * @param <T> the answer's type
	 * @param answer the answer
	 * @param filtered whether the header said {@code true}
	 */
	record Noted<T>(T answer, boolean filtered) {
	}

}
