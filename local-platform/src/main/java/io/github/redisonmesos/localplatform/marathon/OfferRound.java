package io.github.redisonmesos.localplatform.marathon;

import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.redisonmesos.localplatform.agents.MesosAgent;
import io.github.redisonmesos.localplatform.process.PortAllocator;

/**
 * One tick's offers of the agents, per app. A launch takes one offer (an agent and the
 * ports reserved on it); an offer made for another version of the app (changed since the
 * snapshot) is not taken; whatever no launch took goes back on {@link #close()}. Used by
 * the one thread that runs the tick.
 */
final class OfferRound implements AutoCloseable {

	private final Map<String, AppOffers> byApp;

	private final PortAllocator ports;

	OfferRound(Map<String, AppOffers> byApp, PortAllocator ports) {
		this.byApp = byApp;
		this.ports = ports;
	}

	/**
	 * The agent and host ports for one more task of the app.
	 * @param app the app as the change sees it
	 * @return the offer, or empty when no offer is left for its version
	 */
	Optional<Offer> take(App app) {
		return offers(app).map((offers) -> offers.offers().poll());
	}

	/**
	 * Why no agent could offer a launch to the app in this round.
	 * @param app the app as the change sees it
	 * @return the reason, or empty when nothing was declined to its version
	 */
	Optional<String> declined(App app) {
		return offers(app).map(AppOffers::declined);
	}

	/**
	 * The offers processed for the app in this round, in order.
	 * @param app the app as the change sees it
	 * @return each agent's offer and why it was not used (null when it was)
	 */
	List<Evaluation> evaluations(App app) {
		return offers(app).map(AppOffers::evaluations).orElse(List.of());
	}

	private Optional<AppOffers> offers(App app) {
		return Optional.ofNullable(this.byApp.get(app.id()))
			.filter((offers) -> offers.version().equals(app.definition().version()));
	}

	@Override
	public void close() {
		this.byApp.values().forEach((offers) -> offers.offers().forEach((offer) -> this.ports.release(offer.ports())));
	}

	/**
	 * An agent's offer taken for one task.
	 *
	 * @param agent the agent
	 * @param ports the host ports reserved for the task
	 */
	record Offer(MesosAgent agent, List<Integer> ports) {

	}

	/**
	 * One processed offer.
	 *
	 * @param host the agent that made it
	 * @param reason why it did not match, or null when it was used
	 */
	record Evaluation(String host, NoOfferMatchReason reason) {

	}

	/**
	 * The offers to one app.
	 *
	 * @param version the app version they were made for
	 * @param offers the offers for each task the app may launch
	 * @param declined why no agent could offer more, or null
	 * @param evaluations every offer processed for the app
	 */
	record AppOffers(String version, Deque<Offer> offers, String declined, List<Evaluation> evaluations) {

	}

}
