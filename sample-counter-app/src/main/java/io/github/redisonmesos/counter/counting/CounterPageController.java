package io.github.redisonmesos.counter.counting;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.redisonmesos.counter.binding.RedisBinding;
import org.thymeleaf.spring6.view.ThymeleafViewResolver;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.View;

/**
 * The page people look at: counts one visit and says where Redis was found.
 */
@Controller
class CounterPageController {

	static final String VIEW_COUNTER = "counter";

	static final String VIEW_UNAVAILABLE = "unavailable";

	private final CounterService counterService;

	private final RedisBinding binding;

	private final View counterView;

	CounterPageController(CounterService counterService, RedisBinding binding, ThymeleafViewResolver views)
			throws Exception {
		this.counterService = counterService;
		this.binding = binding;
		// resolved once: going through the view resolvers on every request (content
		// negotiation over the Accept header, then the template's view) cost more than
		// the INCR (bench/profile.sh)
		this.counterView = views.resolveViewName(VIEW_COUNTER, Locale.ROOT);
	}

	/**
	 * The page.
	 * @return the page when counted at once; otherwise a future of it, completed while no
	 * thread waits for Redis
	 */
	@GetMapping("/")
	Object page() {
		CompletableFuture<CounterReading> counting = this.counterService.increment();
		if (counting.isDone()) {
			// the usual case stays synchronous: no async dispatch
			return page(counting.join());
		}
		return counting.thenApply(this::page);
	}

	private ModelAndView page(CounterReading reading) {
		// plain strings: the template shows them as they are, with no property access or
		// concatenation left to evaluate per request
		Map<String, Object> model = Map.of("consul", reading.consulHost() + ':' + reading.consulPort(), "redis",
				reading.redisHost() + ':' + reading.redisPort(), "datacenter", reading.consulDatacenter(), "counter",
				Long.toString(reading.counter()), "resolvedAt", reading.resolvedAt(), "redisUser",
				(reading.redisUser() != null) ? reading.redisUser() : "", "redisRole",
				(reading.redisRole() != null) ? reading.redisRole() : "", "sentinelsFrom",
				(reading.sentinelsFrom() != null) ? reading.sentinelsFrom() : "");
		return new ModelAndView(this.counterView, model);
	}

	@ExceptionHandler(CounterUnavailableException.class)
	ModelAndView unavailable(CounterUnavailableException ex) {
		ModelAndView view = new ModelAndView(VIEW_UNAVAILABLE, HttpStatus.SERVICE_UNAVAILABLE);
		view.addObject("error", ex.kind().wireName());
		view.addObject("headline", ex.kind().headline());
		view.addObject("message", ex.getMessage());
		view.addObject("binding", this.binding);
		return view;
	}

}
