package io.github.redisonmesos.localplatform.consul;

import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * {@code /v1/health/service/<name>}: the instances of a service with their node's and
 * their own checks; {@code ?passing} keeps only instances whose checks all pass.
 */
@RestController
class HealthController {

	private final Catalog catalog;

	private final BlockingQueries queries;

	HealthController(Catalog catalog, BlockingQueries queries) {
		this.catalog = catalog;
		this.queries = queries;
	}

	@GetMapping(path = "/v1/health/service/{name}", params = "index")
	DeferredResult<ResponseEntity<Object>> watch(@PathVariable String name, HttpServletRequest request,
			@RequestParam long index, @RequestParam(required = false) String wait,
			@RequestParam(required = false) String tag) {
		boolean passingOnly = isSet(request.getParameter("passing"));
		return this.queries.answer(index, wait, () -> this.catalog.serviceIndex(name),
				(current) -> ConsulResponses.ok(current, entries(name, tag, passingOnly)));
	}

	@GetMapping("/v1/health/service/{name}")
	ResponseEntity<Object> service(@PathVariable String name, HttpServletRequest request,
			@RequestParam(required = false) String tag) {
		boolean passingOnly = isSet(request.getParameter("passing"));
		return this.queries.answerNow(() -> this.catalog.serviceIndex(name),
				(current) -> ConsulResponses.ok(current, entries(name, tag, passingOnly)));
	}

	private List<Map<String, Object>> entries(String name, String tag, boolean passingOnly) {
		return this.catalog.instances(name, tag).stream().flatMap((entry) -> {
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
