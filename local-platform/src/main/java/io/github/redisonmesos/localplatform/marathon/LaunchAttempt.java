package io.github.redisonmesos.localplatform.marathon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The offers processed for an app since it last had tasks to launch, as Marathon's launch
 * queue summarises them ({@code processedOffersSummary} of {@code GET /v2/queue}).
 *
 * @param since when the app started waiting to launch
 * @param processed offers processed
 * @param unused offers processed and not used
 * @param lastUnusedAt when an offer was last not used, or null
 * @param lastUsedAt when an offer was last used, or null
 * @param lastOffers the last offer of each agent
 * @param declined per reason, the offers declined for it in this attempt
 */
record LaunchAttempt(Instant since, int processed, int unused, Instant lastUnusedAt, Instant lastUsedAt,
		Map<String, OfferRound.Evaluation> lastOffers, Map<NoOfferMatchReason, Integer> declined) {

	LaunchAttempt {
		lastOffers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(lastOffers));
		declined = java.util.Collections
			.unmodifiableMap(declined.isEmpty() ? new EnumMap<>(NoOfferMatchReason.class) : new EnumMap<>(declined));
	}

	static LaunchAttempt startedAt(Instant now) {
		return new LaunchAttempt(now, 0, 0, null, null, Map.of(), Map.of());
	}

	LaunchAttempt processed(List<OfferRound.Evaluation> evaluations, Instant now) {
		if (evaluations.isEmpty()) {
			return this;
		}
		Map<String, OfferRound.Evaluation> last = new LinkedHashMap<>(this.lastOffers);
		Map<NoOfferMatchReason, Integer> counts = new EnumMap<>(NoOfferMatchReason.class);
		counts.putAll(this.declined);
		int unusedNow = 0;
		for (OfferRound.Evaluation evaluation : evaluations) {
			last.put(evaluation.host(), evaluation);
			if (evaluation.reason() != null) {
				unusedNow++;
				counts.merge(evaluation.reason(), 1, Integer::sum);
			}
		}
		boolean used = unusedNow < evaluations.size();
		return new LaunchAttempt(this.since, this.processed + evaluations.size(), this.unused + unusedNow,
				(unusedNow > 0) ? now : this.lastUnusedAt, used ? now : this.lastUsedAt, last, counts);
	}

	/**
	 * {@code rejectSummaryLastOffers}: the last offer of each agent through Marathon's
	 * funnel.
	 */
	List<Map<String, Object>> lastOffersSummary() {
		Map<NoOfferMatchReason, Integer> counts = new EnumMap<>(NoOfferMatchReason.class);
		this.lastOffers.values()
			.stream()
			.filter((evaluation) -> evaluation.reason() != null)
			.forEach((evaluation) -> counts.merge(evaluation.reason(), 1, Integer::sum));
		return funnel(this.lastOffers.size(), counts);
	}

	/**
	 * {@code rejectSummaryLaunchAttempt}: every offer of this attempt through the funnel.
	 */
	List<Map<String, Object>> attemptSummary() {
		return funnel(this.processed, this.declined);
	}

	// Each reason sees the offers no earlier reason declined.
	private static List<Map<String, Object>> funnel(int total, Map<NoOfferMatchReason, Integer> declined) {
		List<Map<String, Object>> steps = new ArrayList<>();
		int left = total;
		for (NoOfferMatchReason reason : NoOfferMatchReason.values()) {
			int count = declined.getOrDefault(reason, 0);
			Map<String, Object> step = new LinkedHashMap<>();
			step.put("reason", reason.name());
			step.put("declined", count);
			step.put("processed", left);
			steps.add(step);
			left -= count;
		}
		return steps;
	}

}
