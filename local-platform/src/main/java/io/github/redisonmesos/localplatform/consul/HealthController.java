package io.github.redisonmesos.localplatform.consul;

import java.util.List;
import java.util.Map;

import io.github.redisonmesos.localplatform.consul.acl.AclStore;
import io.github.redisonmesos.localplatform.consul.acl.Authorizer;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * {@code /v1/health/service/<name>}: the instances of a service with their node's and
 * their own checks; {@code ?passing} keeps only instances whose checks all pass. With
 * ACLs on, instances whose service or node the token may not read are left out silently.
 */
@RestController
class HealthController {

	private final Catalog catalog;

	private final BlockingQueries queries;

	private final AclStore acls;

	HealthController(Catalog catalog, BlockingQueries queries, AclStore acls) {
		this.catalog = catalog;
		this.queries = queries;
		this.acls = acls;
	}

	@GetMapping(path = "/v1/health/service/{name}", params = "index")
	DeferredResult<ResponseEntity<Object>> watch(@PathVariable String name, HttpServletRequest request,
			@RequestParam long index, @RequestParam(required = false) String wait,
			@RequestParam(required = false) String tag) {
		boolean passingOnly = isSet(request.getParameter("passing"));
		Authorizer authorizer = this.acls.authorize(request);
		return this.queries.answer(index, wait, () -> this.catalog.serviceIndex(name),
				(current) -> answer(current, name, tag, passingOnly, authorizer));
	}

	@GetMapping("/v1/health/service/{name}")
	ResponseEntity<Object> service(@PathVariable String name, HttpServletRequest request,
			@RequestParam(required = false) String tag) {
		boolean passingOnly = isSet(request.getParameter("passing"));
		Authorizer authorizer = this.acls.authorize(request);
		return this.queries.answerNow(() -> this.catalog.serviceIndex(name),
				(current) -> answer(current, name, tag, passingOnly, authorizer));
	}

	private ResponseEntity<Object> answer(long index, String name, String tag, boolean passingOnly,
			Authorizer authorizer) {
		List<CatalogService> all = this.catalog.instances(name, tag);
		List<CatalogService> readable = CatalogController.readable(all, authorizer);
		return ConsulResponses.status(HttpStatus.OK, index, authorizer, readable.size() < all.size())
			.body(entries(readable, passingOnly));
	}

	private List<Map<String, Object>> entries(List<CatalogService> instances, boolean passingOnly) {
		return instances.stream().flatMap((entry) -> {
			List<CatalogCheck> checks = this.catalog.checksOf(entry);
			boolean passing = checks.stream().allMatch((check) -> CatalogCheck.PASSING.equals(check.status()));
			if (passingOnly && !passing) {
				return java.util.stream.Stream.empty();
			}
			return java.util.stream.Stream
				.of(ConsulJson.healthEntry(entry, this.catalog.node(entry.node()), this.catalog.datacenter(), checks));
		}).toList();
	}

	// Consul treats "?passing", "?passing=" and "?passing=true" alike; "?passing=false"
	// is off.
	private static boolean isSet(String parameter) {
		return parameter != null && !"false".equalsIgnoreCase(parameter) && !"0".equals(parameter);
	}

}
