package io.github.redisonmesos.broker.catalog;

import java.util.ArrayList;
import java.util.List;

import io.github.redisonmesos.broker.security.RequiredSettingException;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * Plans offered in the catalog ({@code broker.catalog.plans}); the defaults are the plans
 * of docs/INTERFACES.md.
 *
 * @param plans the plans, in catalog order
 */
@Validated
@ConfigurationProperties("broker.catalog")
public record CatalogProperties(@Valid @NotEmpty List<PlanProperties> plans) {

	static final List<PlanProperties> DEFAULT_PLANS = List.of(
			new PlanProperties("7037679f-8cf6-4831-b275-13d953c85cbb", "small", "Redis with 64 MB of memory", 128, 0.1,
					"64mb", 1, null, null),
			new PlanProperties("6928bb67-92f7-4363-bd7b-a4bd86c3bfc7", "medium", "Redis with 384 MB of memory", 512,
					0.25, "384mb", 5, null, null),
			new PlanProperties("8491af5f-ee6c-4904-9271-29cce7b44e12", "large", "Redis with 1536 MB of memory", 2048,
					1.0, "1536mb", 20, null, null),
			new PlanProperties("c4f736b3-14cd-4e7c-8dbf-b8030e281f88", "ha",
					"Redis with a primary, 2 replicas and Sentinel, 128 MB of data; 3 nodes of 256 MB, 0.2 CPU and a "
							+ "1 GB volume each",
					256, 0.2, "128mb", 1, null, new HaProperties(null, null, null, null, null, null)));

	public CatalogProperties {
		// a list has no @DefaultValue form, so absent plans fall back here
		plans = (plans == null || plans.isEmpty()) ? DEFAULT_PLANS : List.copyOf(plans);
		for (int n = 0; n < plans.size(); n++) {
			List<String> missing = missing(plans.get(n));
			if (!missing.isEmpty()) {
				throw new RequiredSettingException("broker.catalog.plans[" + n + "] has no "
						+ String.join(", ", missing)
						+ ": a plan list set in the environment (BROKER_CATALOG_PLANS_0_ID=...) replaces the whole "
						+ "default list, and every plan in it needs id, name, mem-mb, cpus, maxmemory and volume-gb.",
						"Set every field of every plan to offer (BROKER_CATALOG_PLANS_<n>_ID, _NAME, _DESCRIPTION, "
								+ "_MEM_MB, _CPUS, _MAXMEMORY, _VOLUME_GB; README, \"Changing the plans\"), "
								+ "or none to keep the default plans.");
			}
			List<String> haProblems = (plans.get(n).ha() != null) ? plans.get(n).ha().problems() : List.of();
			if (!haProblems.isEmpty()) {
				throw new RequiredSettingException(
						"broker.catalog.plans[" + n + "] has " + String.join(", ", haProblems) + ".",
						"Give an ha plan either no zones or ha.zone-attribute with one ha.zones entry per node "
								+ "(BROKER_CATALOG_PLANS_<n>_HA_ZONEATTRIBUTE, _HA_ZONES_0, ...), and a quorum "
								+ "of at most ha.nodes (README, \"Changing the plans\").");
			}
		}
	}

	// what binding left unset in a plan: the fields that no default fills
	private static List<String> missing(PlanProperties plan) {
		List<String> missing = new ArrayList<>();
		if (!StringUtils.hasText(plan.id())) {
			missing.add("id");
		}
		if (!StringUtils.hasText(plan.name())) {
			missing.add("name");
		}
		if (plan.memMb() <= 0) {
			missing.add("mem-mb");
		}
		if (plan.cpus() <= 0) {
			missing.add("cpus");
		}
		if (!StringUtils.hasText(plan.maxmemory())) {
			missing.add("maxmemory");
		}
		if (plan.volumeGb() <= 0) {
			missing.add("volume-gb");
		}
		return missing;
	}

}
