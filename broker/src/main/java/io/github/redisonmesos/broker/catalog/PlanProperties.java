package io.github.redisonmesos.broker.catalog;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

/**
 * One plan: the Marathon resources, Redis' memory limit and the external volume size.
 *
 * @param id stable plan id (CF remembers it, never change it)
 * @param name plan name shown by {@code cf marketplace}
 * @param description human description
 * @param memMb Marathon {@code mem} in MB
 * @param cpus Marathon {@code cpus}
 * @param maxmemory Redis {@code --maxmemory} value, e.g. {@code 64mb}
 * @param volumeGb size of the external volume in GB
 */
public record PlanProperties(@NotBlank String id, @NotBlank String name, String description, @Positive int memMb,
		@Positive double cpus, @NotBlank String maxmemory, @Positive int volumeGb) {

}
