package io.github.redisonmesos.localplatform.consul;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.redisonmesos.localplatform.consul.acl.Access;
import io.github.redisonmesos.localplatform.consul.acl.AclStore;
import io.github.redisonmesos.localplatform.consul.acl.Authorizer;
import io.github.redisonmesos.localplatform.consul.acl.Resource;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.util.UriUtils;

/**
 * {@code /v1/kv/<key>}: keys contain slashes, so the key is the rest of the path. With
 * ACLs on, a read or write of a key the token may not read or write answers 403, a list
 * leaves out the keys it may not read, and a recursive delete needs write on everything
 * under the prefix (Consul's kvs_endpoint.go).
 */
@RestController
class KvController {

	private static final String PREFIX = "/v1/kv/";

	private final KeyValueStore store;

	private final BlockingQueries queries;

	private final AclStore acls;

	KvController(KeyValueStore store, BlockingQueries queries, AclStore acls) {
		this.store = store;
		this.queries = queries;
		this.acls = acls;
	}

	@GetMapping(path = PREFIX + "**", params = "index")
	DeferredResult<ResponseEntity<Object>> watch(HttpServletRequest request, @RequestParam long index,
			@RequestParam(required = false) String wait, @RequestParam(required = false) String separator) {
		// read the request now: a blocking query is answered after it has been recycled
		Read read = new Read(request, separator, this.acls.authorize(request));
		return this.queries.answer(index, wait, () -> this.store.index(read.key, read.prefix()), read::answer);
	}

	@GetMapping(PREFIX + "**")
	ResponseEntity<Object> get(HttpServletRequest request, @RequestParam(required = false) String separator) {
		Read read = new Read(request, separator, this.acls.authorize(request));
		return this.queries.answerNow(() -> this.store.index(read.key, read.prefix()), read::answer);
	}

	@PutMapping(PREFIX + "**")
	ResponseEntity<Boolean> put(HttpServletRequest request, @RequestBody(required = false) byte[] body,
			@RequestParam(required = false) Long cas, @RequestParam(defaultValue = "0") long flags) {
		String key = key(request);
		this.acls.authorize(request).check(Resource.KEY, Access.WRITE, key);
		if (key.isEmpty()) {
			throw new ConsulBadRequestException("Missing key name");
		}
		if (request.getParameter("acquire") != null || request.getParameter("release") != null) {
			// Writing anyway would pretend a lock that nobody holds.
			throw new ConsulBadRequestException("Sessions (acquire/release) are not emulated by the local platform");
		}
		boolean written = this.store.put(key, (body != null) ? body : new byte[0], flags, cas);
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(written);
	}

	@DeleteMapping(PREFIX + "**")
	ResponseEntity<Boolean> delete(HttpServletRequest request, @RequestParam(required = false) Long cas) {
		String key = key(request);
		boolean recurse = request.getParameter("recurse") != null;
		Authorizer authorizer = this.acls.authorize(request);
		if (recurse && !authorizer.allowsWriteUnder(Resource.KEY, key)) {
			throw authorizer.denied(Resource.KEY.word(), Access.WRITE, key);
		}
		authorizer.check(Resource.KEY, Access.WRITE, key);
		boolean deleted = this.store.delete(key, recurse, cas);
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(deleted);
	}

	private ResponseEntity<Object> found(long index, List<?> body, Authorizer authorizer, boolean filtered) {
		// Consul answers an empty listing with 404, like a missing key.
		return body.isEmpty() ? ConsulResponses.status(HttpStatus.NOT_FOUND, index, authorizer, filtered).build()
				: ConsulResponses.status(HttpStatus.OK, index, authorizer, filtered).body(body);
	}

	private List<String> keyList(List<KvEntry> entries, String prefix, String separator) {
		Set<String> keys = new LinkedHashSet<>();
		for (KvEntry entry : entries) {
			String key = entry.key();
			int cut = (separator == null || separator.isEmpty()) ? -1 : key.indexOf(separator, prefix.length());
			keys.add((cut < 0) ? key : key.substring(0, cut + separator.length()));
		}
		return new ArrayList<>(keys);
	}

	private static String key(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return UriUtils.decode(path.substring(Math.min(PREFIX.length(), path.length())), StandardCharsets.UTF_8);
	}

	/**
	 * What a GET asks for, read from the request while it is still the caller's.
	 */
	private final class Read {

		private final String key;

		private final boolean keys;

		private final boolean recurse;

		private final boolean raw;

		private final String separator;

		private final Authorizer authorizer;

		Read(HttpServletRequest request, String separator, Authorizer authorizer) {
			this.key = key(request);
			this.authorizer = authorizer;
			if (!prefix(request)) {
				authorizer.check(Resource.KEY, Access.READ, this.key);
			}
			this.keys = request.getParameter("keys") != null;
			this.recurse = request.getParameter("recurse") != null;
			this.raw = request.getParameter("raw") != null;
			this.separator = separator;
		}

		boolean prefix() {
			return this.keys || this.recurse;
		}

		private static boolean prefix(HttpServletRequest request) {
			return request.getParameter("keys") != null || request.getParameter("recurse") != null;
		}

		ResponseEntity<Object> answer(long current) {
			if (this.keys) {
				List<String> all = keyList(KvController.this.store.list(this.key), this.key, this.separator);
				List<String> readable = all.stream()
					.filter((name) -> this.authorizer.allows(Resource.KEY, Access.READ, name))
					.toList();
				return found(current, readable, this.authorizer, readable.size() < all.size());
			}
			if (this.recurse) {
				List<KvEntry> all = KvController.this.store.list(this.key);
				List<Map<String, Object>> readable = all.stream()
					.filter((entry) -> this.authorizer.allows(Resource.KEY, Access.READ, entry.key()))
					.map(KvEntry::toJson)
					.toList();
				return found(current, readable, this.authorizer, readable.size() < all.size());
			}
			Optional<KvEntry> entry = KvController.this.store.get(this.key);
			if (entry.isEmpty()) {
				return ConsulResponses.status(HttpStatus.NOT_FOUND, current).build();
			}
			if (this.raw) {
				return ConsulResponses.status(HttpStatus.OK, current)
					.contentType(MediaType.APPLICATION_OCTET_STREAM)
					.body(entry.get().value());
			}
			return ConsulResponses.ok(current, List.of(entry.get().toJson()));
		}

	}

}
