package io.github.redisonmesos.broker.deployment;

/**
 * What an instance's Redis is: a single Redis, or the nodes of an HA instance
 * ({@link HaDeployment}). A type rather than a {@code null}, so that every place that
 * differs between the two says so.
 */
public sealed interface Topology permits Topology.Single, HaDeployment {

	/** A single Redis. */
	Single SINGLE = new Single();

	/**
	 * How many Redis nodes run.
	 * @return 1 for a single Redis, the node count of an HA instance
	 */
	int nodeCount();

	/**
	 * A single Redis: one app, one volume, no Sentinel.
	 */
	record Single() implements Topology {

		@Override
		public int nodeCount() {
			return 1;
		}

	}

}
