package io.github.redisonmesos.counter.counting;

import io.github.redisonmesos.counter.binding.ConsulBinding;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * The page people look at: counts one visit and says where Redis was found.
 */
@Controller
class CounterPageController {

	static final String VIEW_COUNTER = "counter";

	static final String VIEW_UNAVAILABLE = "unavailable";

	private final CounterService counterService;

	private final ConsulBinding binding;

	CounterPageController(CounterService counterService, ConsulBinding binding) {
		this.counterService = counterService;
		this.binding = binding;
	}

	@GetMapping("/")
	String page(Model model) {
		model.addAttribute("reading", this.counterService.increment());
		return VIEW_COUNTER;
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
