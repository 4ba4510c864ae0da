package io.github.redisonmesos.localplatform.marathon;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

	/**
	 * The validator sees the platform's own PATH, where task commands are looked up.
	 */
	@Bean
	AppValidator appValidator() {
		return new AppValidator(System.getenv().getOrDefault("PATH", ""));
	}

	/**
	 * One thread runs what the registry's changes cause, in the order of the changes, so
	 * observers learn of a task's health before they learn it is gone, and a kill never
	 * overtakes the start it answers.
	 */
	@Bean(destroyMethod = "shutdownNow")
	ExecutorService marathonEffects() {
		return Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "marathon-effects");
			thread.setDaemon(true);
			return thread;
		});
	}

}
