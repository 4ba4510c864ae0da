package io.github.redisonmesos.broker.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

/**
 * One plan: the Marathon resources, Redis' memory limit, the external volume size, and
 * what each binding's Redis user may do.
 *
 * @param id stable plan id (CF remembers it, never change it)
 * @param name plan name shown by {@code cf marketplace}
 * @param description human description
 * @param memMb Marathon {@code mem} in MB
 * @param cpus Marathon {@code cpus}
 * @param maxmemory Redis {@code --maxmemory} value, e.g. {@code 64mb}
 * @param volumeGb size of the external volume in GB
 * @param ha what makes the plan highly available (several nodes and Sentinels); absent
 * for a single Redis
 * @param aclRules the Redis ACL rules of each binding's user (key, channel and command
 * rules only; the broker sets the user's state and password itself); default
 * {@link #DEFAULT_ACL_RULES}
 */
public record PlanProperties(@NotBlank String id, @NotBlank String name, String description, @Positive int memMb,
		@Positive double cpus,
		@NotBlank @Pattern(regexp = "(?i)[0-9]{1,15}(k|kb|m|mb|g|gb)?",
				message = "must be a Redis memory size such as 64mb, 1gb or 1000000 (bytes)") String maxmemory,
		@Positive int volumeGb,
		@Pattern(regexp = PlanProperties.RULES,
				message = "may hold only Redis ACL key (~, %R~, %W~, %RW~, allkeys, resetkeys), channel (&, "
						+ "allchannels, resetchannels) and command (+, -, allcommands, nocommands) rules; the "
						+ "broker sets the user's state and password itself") String aclRules,
		@Valid HaProperties ha) {

	/**
	 * The default rules of a binding's user: all keys and channels, every command but
	 * administration and whatever makes the server connect elsewhere or rewrite itself
	 * ({@code @admin}, {@code @dangerous}: CONFIG, ACL, MODULE, DEBUG, SHUTDOWN, MONITOR,
	 * REPLICAOF, MIGRATE, FAILOVER, SAVE, BGSAVE, BGREWRITEAOF, CLIENT KILL and LIST...),
	 * with the {@code @dangerous} commands that common frameworks send on the app's own
	 * data and connection allowed again: Spring Boot's health check ({@code INFO}),
	 * Spring Data's cache eviction ({@code KEYS}), test and cache resets
	 * ({@code FLUSHDB}, {@code FLUSHALL}, {@code SWAPDB}), {@code WAIT}, and the
	 * {@code CLIENT} subcommands a client sends about its own connection.
	 */
	public static final String DEFAULT_ACL_RULES = "~* &* +@all -@admin -@dangerous +info +keys +scan +flushdb "
			+ "+flushall +swapdb +wait +client|setname +client|getname +client|id +client|info +client|tracking "
			+ "+client|caching +client|reply";

	// one key, channel or command rule; no on/off, passwords (>, <, #, !, nopass,
	// resetpass) or reset, which would change who can log in
	private static final String RULE = "((~|%R~|%W~|%RW~|&|\\+|-)\\S*|allkeys|resetkeys|allchannels|resetchannels"
			+ "|allcommands|nocommands)";

	// rules, space separated
	static final String RULES = "\\s*" + RULE + "(\\s+" + RULE + ")*\\s*";

	public PlanProperties {
		aclRules = (aclRules == null || aclRules.isBlank()) ? DEFAULT_ACL_RULES : aclRules.strip();
	}

	/**
	 * How many Redis nodes an instance of this plan has.
	 * @return 1, or the HA node count
	 */
	public int nodes() {
		return (this.ha != null) ? this.ha.nodes() : 1;
	}

	/**
	 * The plan's {@code maxmemory} in bytes, with Redis's units ({@code k}, {@code m},
	 * {@code g} powers of 1000; {@code kb}, {@code mb}, {@code gb} powers of 1024).
	 * @return the bytes
	 */
	public long maxmemoryBytes() {
		String size = this.maxmemory.strip().toLowerCase(Locale.ROOT);
		int digits = 0;
		while (digits < size.length() && Character.isDigit(size.charAt(digits))) {
			digits++;
		}
		long number = Long.parseLong(size.substring(0, digits));
		long unit = switch (size.substring(digits)) {
			case "k" -> 1000L;
			case "kb" -> 1024L;
			case "m" -> 1000L * 1000;
			case "mb" -> 1024L * 1024;
			case "g" -> 1000L * 1000 * 1000;
			case "gb" -> 1024L * 1024 * 1024;
			default -> 1L;
		};
		return number * unit;
	}

	/**
	 * The ACL rules as Redis takes them, one per argument.
	 * @return the rules
	 */
	public List<String> aclRuleList() {
		return aclRuleList(this.aclRules);
	}

	/**
	 * Space-separated ACL rules as Redis takes them, one per argument.
	 * @param rules the rules, e.g. {@link #DEFAULT_ACL_RULES}
	 * @return the rules
	 */
	public static List<String> aclRuleList(String rules) {
		return Arrays.asList(rules.strip().split("\\s+"));
	}

}
