package io.github.redisonmesos.localplatform.server;

import java.io.IOException;
import java.io.InputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

/**
 * With {@code local-platform.exit-with-parent=true}, the platform stops (and stops every
 * task, as on any shutdown) when the process that started it is gone: that process holds
 * the write end of the platform's standard input, a pipe, and the end of the input means
 * it ended, however it ended. A test JVM that a failed build kills leaves no platform and
 * no Redis task behind to hold ports and CPU on the next run.
 */
@Component
@ConditionalOnProperty(name = "local-platform.exit-with-parent", havingValue = "true")
class ParentWatch implements ApplicationListener<ApplicationReadyEvent> {

	private static final Logger logger = LoggerFactory.getLogger(ParentWatch.class);

	private final InputStream input;

	ParentWatch() {
		this(System.in);
	}

	ParentWatch(InputStream input) {
		this.input = input;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		ConfigurableApplicationContext context = event.getApplicationContext();
		Thread watch = new Thread(() -> {
			drain();
			logger.info("platform.parent-gone: its standard input ended; stopping every task and exiting");
			System.exit(SpringApplication.exit(context));
		}, "parent-watch");
		watch.setDaemon(true);
		watch.start();
	}

	private void drain() {
		byte[] buffer = new byte[256];
		try {
			while (this.input.read(buffer) != -1) {
				// nothing is sent; the end is what counts
			}
		}
		catch (IOException ex) {
			// a broken pipe is an end too
		}
	}

}
