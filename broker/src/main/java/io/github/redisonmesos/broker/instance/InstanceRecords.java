package io.github.redisonmesos.broker.instance;

import java.util.List;
import java.util.Optional;

import io.github.redisonmesos.broker.records.Versioned;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;

/**
 * Where the instance records are kept (Consul KV behind it). Every write is a
 * check-and-set on the version read, so concurrent brokers never overwrite each other: a
 * write that lost answers {@code false} and changes nothing.
 */
public interface InstanceRecords {

	/**
	 * Read an instance record.
	 * @param instanceId the instance id
	 * @return the record and its version, empty when there is none
	 */
	Optional<Versioned<InstanceRecord>> find(String instanceId);

	/**
	 * The ids of every instance record, tombstones included.
	 * @return the ids
	 */
	List<String> ids();

	/**
	 * Create a record for an id that has none.
	 * @param record the record
	 * @return whether this write won (false when a record exists)
	 */
	boolean create(InstanceRecord record);

	/**
	 * Replace a record that is still at the version read.
	 * @param current the record as read
	 * @param record the new record
	 * @return whether this write won
	 */
	boolean replace(Versioned<InstanceRecord> current, InstanceRecord record);

	/**
	 * Turn a record into the tombstone of its finished deprovision, dropping the
	 * instance's binding records first: a crash in between leaves the instance record,
	 * which the next poll finishes.
	 * @param current the record as read
	 * @param tombstone the tombstone
	 * @return whether this write won
	 */
	boolean bury(Versioned<InstanceRecord> current, InstanceRecord tombstone);

	/**
	 * Delete a record (a tombstone that has been remembered long enough), unless it
	 * changed since it was read.
	 * @param current the record as read
	 * @return whether it was deleted
	 */
	boolean delete(Versioned<InstanceRecord> current);

	/**
	 * Every record with its version, tombstones included; a record deleted while they are
	 * read is left out.
	 * @return the records
	 */
	default List<Versioned<InstanceRecord>> all() {
		return ids().stream().map(this::find).flatMap(Optional::stream).toList();
	}

	/**
	 * Replace a record that this request read; another broker's write in between wins.
	 * @param current the record as read
	 * @param record the new record
	 * @throws ServiceBrokerConcurrencyException when another request changed the record
	 */
	default void replaceOrConflict(Versioned<InstanceRecord> current, InstanceRecord record) {
		if (!replace(current, record)) {
			throw new ServiceBrokerConcurrencyException(
					"Another request changed instance " + record.instanceId() + " meanwhile; send this one again.");
		}
	}

}
