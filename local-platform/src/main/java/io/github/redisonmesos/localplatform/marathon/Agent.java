package io.github.redisonmesos.localplatform.marathon;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.redisonmesos.localplatform.process.PortAllocator;
import io.github.redisonmesos.localplatform.process.PortsUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The one local agent, offering its host ports as a Mesos agent offers its port resource
 * between the scheduler's ticks. An offer is made for each task an app may launch now and
 * reserves its ports; reserving probes the host, so offers are made before the tick's
 * change and not under the registry's lock. Every offer the agent cannot make (a required
 * port held, bound by another program or outside the range) is counted in
 * {@code local.platform.marathon.offers.declined}, tagged with the app.
 */
@Component
class Agent {

	private static final String DECLINED = "local.platform.marathon.offers.declined";

	private final PortAllocator ports;

	private final MeterRegistry meters;

	Agent(PortAllocator ports, MeterRegistry meters) {
		this.ports = ports;
		this.meters = meters;
	}

	/**
	 * Makes this tick's offers.
	 * @param apps the listed apps, from a snapshot taken just before
	 * @param now the tick's time, as the change will see it
	 * @return the offers, to close once the change has taken what it launches with
	 */
	OfferRound offer(List<App> apps, Instant now) {
		Map<String, OfferRound.AppOffers> offers = new HashMap<>();
		for (App app : apps) {
			int due = app.launchesDue(now);
			if (due == 0) {
				continue;
			}
			List<Integer> requested = app.definition().ports().stream().map(AppDefinition.PortSpec::hostPort).toList();
			Deque<List<Integer>> offered = new ArrayDeque<>();
			String declined = null;
			for (int i = 0; i < due && declined == null; i++) {
				try {
					offered.add(this.ports.reserve(requested));
				}
				catch (PortsUnavailableException ex) {
					declined = ex.getMessage();
					Counter.builder(DECLINED)
						.description("Offers the local agent could not make: a host port a task needs is not free")
						.tag("app", app.id())
						.register(this.meters)
						.increment();
				}
			}
			offers.put(app.id(), new OfferRound.AppOffers(app.definition().version(), offered, declined));
		}
		return new OfferRound(offers, this.ports);
	}

}
