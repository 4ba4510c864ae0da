package io.github.redisonmesos.localplatform.marathon;

/**
 * Why an offer did not match an app, with Marathon's names
 * ({@code mesosphere.mesos.NoOfferMatchReason}), in the order of Marathon's
 * {@code reasonFunnel}: an offer declined for several reasons counts for the first.
 */
enum NoOfferMatchReason {

	UnfulfilledRole, UnfulfilledConstraint, NoCorrespondingReservationFound, AgentMaintenance, InsufficientCpus,
	InsufficientMemory, InsufficientDisk, InsufficientGpus, InsufficientPorts, DeclinedScarceResources

}
