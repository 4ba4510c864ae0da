package io.github.redisonmesos.broker.instance.operations;

import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.instance.Operation;

/**
 * How an operation that brings an instance to the catalog's maintenance version reads and
 * ends: its descriptions say "upgrading to &lt;version&gt;", and the record takes the
 * version only once the operation has succeeded, so every node runs it. Any provision or
 * update that deploys runs the broker's current templates (the only ones it has), so each
 * one that succeeds records their version.
 */
final class Upgrades {

	private Upgrades() {
	}

	/**
	 * What an update of this record says while it runs.
	 * @param record the record before the update
	 * @param version the version the update deploys
	 * @param description what the update does
	 * @return the description, saying so when the update upgrades the instance
	 */
	static String describe(InstanceRecord record, String version, String description) {
		return (behind(record, version) && !description.startsWith("upgrad"))
				? "upgrading to " + version + ": " + description : description;
	}

	/**
	 * An update's operation as the driver left it, described as an upgrade when it brings
	 * the instance to a newer version.
	 * @param record the record, whose version is the one its nodes ran before
	 * @param operation the operation as it stands
	 * @param version the version the operation deploys
	 * @return the operation
	 */
	static Operation described(InstanceRecord record, Operation operation, String version) {
		if (operation.type() != Operation.Type.UPDATE || !behind(record, version)
				|| operation.description().startsWith("upgrad")) {
			return operation;
		}
		String verb = switch (operation.state()) {
			case IN_PROGRESS -> "upgrading to " + version + ": ";
			case SUCCEEDED -> "upgraded to " + version + ": ";
			case FAILED -> "upgrading to " + version + " failed: ";
		};
		return operation.to(operation.state(), verb + operation.description());
	}

	/**
	 * The record once its operation has finished: a provision or update that succeeded
	 * runs the version it deployed on every node.
	 * @param record the record with its finished operation
	 * @param version the version the operation deployed
	 * @return the record, with the version when it succeeded
	 */
	static InstanceRecord finished(InstanceRecord record, String version) {
		Operation operation = record.operation();
		boolean deployed = operation.state() == Operation.State.SUCCEEDED
				&& operation.type() != Operation.Type.DEPROVISION;
		return deployed ? record.withMaintenanceVersion(version) : record;
	}

	private static boolean behind(InstanceRecord record, String version) {
		return !version.equals(record.maintenanceVersion());
	}

}
