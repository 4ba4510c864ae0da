package io.github.redisonmesos.localplatform.server;

import io.github.redisonmesos.localplatform.LocalPlatformProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Says once, in one line, where the APIs listen: with port 0 the ports are chosen at
 * start, and scripts (and the crash test) read them from here.
 */
@Component
class ReadyLog {

	private static final Logger logger = LoggerFactory.getLogger(ReadyLog.class);

	private final ConsulConnector consul;

	private final LibStorageConnector libStorage;

	private final LocalPlatformProperties properties;

	ReadyLog(ConsulConnector consul, LibStorageConnector libStorage, LocalPlatformProperties properties) {
		this.consul = consul;
		this.libStorage = libStorage;
		this.properties = properties;
	}

	@EventListener
	void ready(ApplicationReadyEvent event) {
		int marathon = ((WebServerApplicationContext) event.getApplicationContext()).getWebServer().getPort();
		String scheme = this.consul.scheme();
		logger.info(
				"platform.ready marathonUrl={}://127.0.0.1:{} consulUrl={}://127.0.0.1:{} libstorageUrl={}://127.0.0.1:{} "
						+ "stateDir={}",
				scheme, marathon, scheme, this.consul.port(), this.libStorage.scheme(), this.libStorage.port(),
				this.properties.absoluteStateDir());
	}

}
