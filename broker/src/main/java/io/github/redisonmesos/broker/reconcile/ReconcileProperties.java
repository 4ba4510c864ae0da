package io.github.redisonmesos.broker.reconcile;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The periodic reconciliation.
 *
 * @param interval time between two runs (and before the first)
 * @param removeOrphanApps whether a Marathon app under the broker's group that no
 * instance record knows is removed; by default it is only reported (log line and the
 * {@code broker.orphans} metric)
 * @param haInterval time between two checks of the HA instances (convergence of returning
 * nodes, {@code broker.ha.nodes}); a node that comes back waits up to this long,
 * unpromotable, for the bindings' users
 */
@Validated
@ConfigurationProperties("broker.reconcile")
public record ReconcileProperties(@NotNull @DefaultValue("5m") Duration interval,
		@DefaultValue("false") boolean removeOrphanApps, @NotNull @DefaultValue("10s") Duration haInterval) {

}
