package io.github.redisonmesos.broker.binding;

import java.util.List;

import io.github.redisonmesos.broker.catalog.PlanProperties;
import io.github.redisonmesos.broker.catalog.RedisCatalog;
import io.github.redisonmesos.broker.deployment.RedisUnavailableException;
import io.github.redisonmesos.broker.instance.AdminPasswords;
import io.github.redisonmesos.broker.instance.InstanceRecord;
import io.github.redisonmesos.broker.records.Versioned;
import io.github.redisonmesos.broker.security.Passwords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.servicebroker.exception.ServiceBrokerConcurrencyException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerException;
import org.springframework.stereotype.Component;

/**
 * The Redis user of each binding, created after its record is written and confirmed in
 * it, so that no user exists that no record knows of.
 */
@Component
class BindingUsers {

	private static final Logger logger = LoggerFactory.getLogger(BindingUsers.class);

	private final RedisUsers users;

	private final AdminPasswords adminPasswords;

	private final RedisCatalog catalog;

	private final BindingRecords bindings;

	BindingUsers(RedisUsers users, AdminPasswords adminPasswords, RedisCatalog catalog, BindingRecords bindings) {
		this.users = users;
		this.adminPasswords = adminPasswords;
		this.catalog = catalog;
		this.bindings = bindings;
	}

	/**
	 * Create (or create again) the user a written record names, then mark the record
	 * created. When Redis fails, the record is taken back (and the user, if it may
	 * exist), and the failure is thrown.
	 * @param written the binding record as written
	 * @param instance the instance
	 * @param place where its Redis passes now (every node of an HA instance)
	 * @param password the user's password, as sealed in the record
	 */
	void create(Versioned<BindingRecord> written, InstanceRecord instance, UserPlace place, String password) {
		BindingRecord record = written.value();
		try {
			String hash = Passwords.redisHash(password);
			if (place instanceof UserPlace.HaNodes nodes) {
				this.users.put(nodes.access(), record.username(), hash, rules(instance));
			}
			else if (place instanceof UserPlace.OneRedis one) {
				this.users.put(this.adminPasswords.admin(instance, one.redis()), record.username(), hash,
						rules(instance));
			}
		}
		catch (RedisUnavailableException ex) {
			abandon(written, instance, place, ex.mayHaveApplied());
			throw ex;
		}
		catch (ServiceBrokerException ex) {
			abandon(written, instance, place, true);
			throw ex;
		}
		if (!this.bindings.replace(written, record.created())
				&& this.bindings.find(record.instanceId(), record.bindingId())
					.filter((now) -> now.value().state() == BindingRecord.State.CREATED)
					.isEmpty()) {
			throw new ServiceBrokerConcurrencyException(
					"Binding " + record.bindingId() + " changed while this request ran; send it again.");
		}
	}

	/**
	 * Delete a binding's user: Redis closes its connections at once.
	 * @param instance the instance
	 * @param place where its Redis passes now (every node of an HA instance)
	 * @param username the user
	 */
	void delete(InstanceRecord instance, UserPlace place, String username) {
		if (place instanceof UserPlace.HaNodes nodes) {
			this.users.delete(nodes.access(), username);
		}
		else if (place instanceof UserPlace.OneRedis one) {
			this.users.delete(this.adminPasswords.admin(instance, one.redis()), username);
		}
	}

	// the bind failed: take back the record, and the user first if it may exist; when
	// Redis cannot confirm the user is gone, the record stays (invisible to GET) so that
	// the platform's unbind or a retried bind settles it
	private void abandon(Versioned<BindingRecord> written, InstanceRecord instance, UserPlace place,
			boolean userMayExist) {
		String bindingId = written.value().bindingId();
		try {
			if (userMayExist) {
				delete(instance, place, written.value().username());
			}
			this.bindings.delete(written);
			logger.info("operation=bind state=failed instance_id={} binding_id={} cleaned_up=true",
					instance.instanceId(), bindingId);
		}
		catch (RuntimeException ex) {
			logger.warn(
					"operation=bind state=failed instance_id={} binding_id={} cleaned_up=false "
							+ "reason=\"{}\" (an unbind or a repeated bind settles it)",
					instance.instanceId(), bindingId, ex.getMessage());
		}
	}

	private List<String> rules(InstanceRecord instance) {
		return this.catalog.plan(instance.planId())
			.map(PlanProperties::aclRuleList)
			.orElseGet(() -> PlanProperties.aclRuleList(PlanProperties.DEFAULT_ACL_RULES));
	}

}
