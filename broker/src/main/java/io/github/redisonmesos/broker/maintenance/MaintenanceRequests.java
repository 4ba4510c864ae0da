package io.github.redisonmesos.broker.maintenance;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerMaintenanceInfoConflictException;
import org.springframework.cloud.servicebroker.model.catalog.MaintenanceInfo;
import org.springframework.stereotype.Component;

/**
 * What the {@code maintenance_info} of a provision or an update asks, judged against the
 * catalog (OSB 2.15+): a version other than the plan's answers 422
 * {@code MaintenanceInfoConflict}, so the platform fetches the catalog again. Cloud
 * Controller sends the plan's version with {@code cf upgrade-service} and a plan change,
 * none with a parameters-only update, and never the instance's own.
 */
@Component
public class MaintenanceRequests {

	private final PlanVersions versions;

	public MaintenanceRequests(PlanVersions versions) {
		this.versions = versions;
	}

	/**
	 * Check a provision's version.
	 * @param requested the request's {@code maintenance_info}, {@code null} when none
	 * @param planName the plan asked for
	 * @throws ServiceBrokerMaintenanceInfoConflictException when it is not the plan's
	 */
	public void checkProvision(MaintenanceInfo requested, String planName) {
		if (requested != null) {
			requirePlanVersion(requested, planName);
		}
	}

	/**
	 * Whether an update upgrades the instance: it carries the plan's version and the
	 * instance runs an older one (or none recorded, which counts as older than any).
	 * @param requested the request's {@code maintenance_info}, {@code null} when none
	 * @param instanceVersion the version the instance's record holds, {@code null} when
	 * none
	 * @param planName the plan the instance has after the update
	 * @param instanceId the instance
	 * @return true for an upgrade; false when no version was sent or the instance has it
	 * already (nothing to upgrade)
	 * @throws ServiceBrokerMaintenanceInfoConflictException when the version is not the
	 * plan's, or when the instance runs a newer one (an upgrade never goes back)
	 */
	public boolean upgrades(MaintenanceInfo requested, String instanceVersion, String planName, String instanceId) {
		if (requested == null) {
			return false;
		}
		MaintenanceVersion target = requirePlanVersion(requested, planName);
		if (instanceVersion == null || !MaintenanceVersion.valid(instanceVersion)) {
			return true;
		}
		MaintenanceVersion current = MaintenanceVersion.parse(instanceVersion);
		if (current.newerThan(target)) {
			throw new ServiceBrokerMaintenanceInfoConflictException("Instance " + instanceId + " runs maintenance "
					+ "version " + current + ", newer than " + target + " of plan " + planName
					+ ": an upgrade never goes to an older version (the broker's templates were rolled back). "
					+ "Nothing was changed; fetch the catalog again once the broker runs " + current + " or newer.");
		}
		return current.compareTo(target) < 0;
	}

	/**
	 * Whether an instance on a version is behind the catalog, as Cloud Controller
	 * computes {@code upgrade_available}.
	 * @param instanceVersion the instance's version, {@code null} when none
	 * @return true when it differs from the plans' version
	 */
	public boolean upgradeAvailable(String instanceVersion) {
		return !this.versions.version().text().equals(instanceVersion);
	}

	/**
	 * The {@code maintenance_info} of an instance, as {@code GET} answers it.
	 * @param instanceVersion the version its record holds, {@code null} when none
	 * @return the catalog's when it is that version, the version alone otherwise;
	 * {@code null} without a version
	 */
	public MaintenanceInfo info(String instanceVersion) {
		if (instanceVersion == null) {
			return null;
		}
		MaintenanceInfo catalog = this.versions.info();
		return catalog.getVersion().equals(instanceVersion) ? catalog
				: MaintenanceInfo.builder().version(instanceVersion).build();
	}

	private MaintenanceVersion requirePlanVersion(MaintenanceInfo requested, String planName) {
		MaintenanceVersion plan = this.versions.version();
		if (!plan.text().equals(requested.getVersion())) {
			throw new ServiceBrokerMaintenanceInfoConflictException("The maintenance_info.version "
					+ ((requested.getVersion() != null) ? "'" + requested.getVersion() + "'" : "(none)")
					+ " in the request is not plan " + planName + "'s " + plan
					+ " in the broker's catalog; fetch the catalog again (GET /v2/catalog) and send its version. "
					+ "Nothing was changed.");
		}
		return plan;
	}

}
