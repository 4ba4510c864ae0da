package io.github.redisonmesos.localplatform.marathon;

import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.redisonmesos.localplatform.process.PortAllocator;

/**
 * One tick's offers of the {@link Agent}, per app. A launch takes the ports of one offer;
 * an offer made for another version of the app (changed since the snapshot) is not taken;
 * whatever no launch took goes back to the agent on {@link #close()}. Used by the one
 * thread that runs the tick.
 */
final class OfferRound implements AutoCloseable {

	private final Map<String, AppOffers> byApp;

	private final PortAllocator ports;

	OfferRound(Map<String, AppOffers> byApp, PortAllocator ports) {
		this.byApp = byApp;
		this.ports = ports;
	}

	/**
	 * The host ports for one more task of the app.
	 * @param app the app as the change sees it
	 * @return the ports, or empty when no offer is left for its version
	 */
	Optional<List<Integer>> take(App app) {
		return offers(app).map((offers) -> offers.ports().poll());
	}

	/**
	 * Why the agent declined an offer to the app in this round.
	 * @param app the app as the change sees it
	 * @return the reason, or empty when nothing was declined to its version
	 */
	Optional<String> declined(App app) {
		return offers(app).map(AppOffers::declined);
	}

	private Optional<AppOffers> offers(App app) {
		return Optional.ofNullable(this.byApp.get(app.id()))
			.filter((offers) -> offers.version().equals(app.definition().version()));
	}

	@Override
	public void close() {
		this.byApp.values().forEach((offers) -> offers.ports().forEach(this.ports::release));
	}

	/**
	 * The offers to one app.
	 *
	 * @param version the app version they were made for
	 * @param ports the reserved ports of each task the app may launch
	 * @param declined why the agent could not offer more, or null
	 */
	record AppOffers(String version, Deque<List<Integer>> ports, String declined) {

	}

}
