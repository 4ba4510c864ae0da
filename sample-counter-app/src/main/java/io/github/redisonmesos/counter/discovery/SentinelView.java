package io.github.redisonmesos.counter.discovery;

/**
 * What the Sentinels said about the primary of an {@code ha} binding, beside its address.
 *
 * @param role the primary's role as the Sentinel that answered reports it
 * ({@code role-reported} of {@code SENTINEL MASTER}, e.g. {@code master}, with the
 * Sentinel's flags when it sees more than that, e.g. {@code master (s_down)})
 * @param sentinelsFrom where the Sentinels were found: Consul's service, or the binding's
 * list
 */
public record SentinelView(String role, String sentinelsFrom) {
}
