package io.github.redisonmesos.localplatform.server;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Catches every path no emulated endpoint maps (the most general mapping loses to all
 * specific ones).
 */
@RestController
class NotEmulatedController {

	private final ConsulConnector consul;

	private final LibStorageConnector libStorage;

	NotEmulatedController(ConsulConnector consul, LibStorageConnector libStorage) {
		this.consul = consul;
		this.libStorage = libStorage;
	}

	@RequestMapping("/**")
	void notEmulated(HttpServletRequest request, HttpServletResponse response) throws IOException {
		NotEmulated.write(response, Api.ofPort(request.getLocalPort(), this.consul, this.libStorage),
				request.getMethod(), request.getRequestURI());
	}

}
