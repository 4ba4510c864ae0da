package io.github.redisonmesos.localplatform.marathon;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SupervisionConfiguration {

	/**
	 * Two threads run supervision, health checks, exit handling and forced kills for
	 * every task: no thread per task or per busy loop.
	 */
	@Bean(destroyMethod = "shutdownNow")
	ScheduledExecutorService supervisionExecutor() {
		AtomicInteger count = new AtomicInteger();
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, (runnable) -> {
			Thread thread = new Thread(runnable, "supervision-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

}
