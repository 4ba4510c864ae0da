package io.github.redisonmesos.broker.binding;

import java.util.List;
import java.util.Optional;

import io.github.redisonmesos.broker.records.Versioned;

/**
 * Where the binding records are kept (Consul KV behind it), by instance. Every change is
 * a check-and-set on the version read: a write that lost answers {@code false} and
 * changes nothing.
 */
public interface BindingRecords {

	/**
	 * Read a binding record.
	 * @param instanceId the instance id
	 * @param bindingId the binding id
	 * @return the record and its version, empty when there is none
	 */
	Optional<Versioned<BindingRecord>> find(String instanceId, String bindingId);

	/**
	 * The ids of the binding records of an instance.
	 * @param instanceId the instance id
	 * @return the binding ids
	 */
	List<String> ids(String instanceId);

	/**
	 * Create a record for a binding that has none.
	 * @param record the record
	 * @return whether this write won (false when a record exists)
	 */
	boolean create(BindingRecord record);

	/**
	 * Replace a record that is still at the version read.
	 * @param current the record as read
	 * @param record the new record
	 * @return whether this write won
	 */
	boolean replace(Versioned<BindingRecord> current, BindingRecord record);

	/**
	 * Delete a record that is still at the version read.
	 * @param current the record as read
	 * @return whether it was deleted
	 */
	boolean delete(Versioned<BindingRecord> current);

}
