package io.github.redisonmesos.localplatform.consul.acl;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the subset of Consul's rule language (HCL) that the shipped policies use:
 * {@code key|key_prefix|service|service_prefix|node|node_prefix|agent|agent_prefix
 * "<name>" { policy = "read|write|deny" }}, with {@code #} and {@code //} comments.
 * Anything else is refused with the line it starts on, so that a policy the local
 * platform would misread never passes silently.
 */
public final class RulesParser {

	private static final Pattern RULE = Pattern
		.compile("\\G\\s*(key|service|node|agent)(_prefix)?\\s+\"([^\"\\\\]*)\"\\s*"
				+ "\\{\\s*policy\\s*=\\s*\"([a-z]*)\"\\s*}");

	private static final Pattern BLANK = Pattern.compile("\\G\\s*\\z");

	private RulesParser() {
	}

	/**
	 * The rules of a policy.
	 * @param text the policy's rules
	 * @return the rules in the order written
	 * @throws IllegalArgumentException naming the line of the first thing not understood
	 */
	public static List<Rule> parse(String text) {
		String source = withoutComments(text);
		List<Rule> rules = new ArrayList<>();
		Matcher rule = RULE.matcher(source);
		int at = 0;
		while (!BLANK.matcher(source).region(at, source.length()).lookingAt()) {
			if (!rule.find(at) || rule.start() != at) {
				throw new IllegalArgumentException("Failed to parse ACL rules at line " + line(source, at)
						+ ": expected "
						+ "key|key_prefix|service|service_prefix|node|node_prefix|agent|agent_prefix \"<name>\" "
						+ "{ policy = \"read|write|deny\" }");
			}
			Resource resource = Resource.valueOf(rule.group(1).toUpperCase(java.util.Locale.ROOT));
			try {
				rules.add(new Rule(resource, rule.group(3), rule.group(2) != null, Access.of(rule.group(4))));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(
						"Failed to parse ACL rules at line " + line(source, rule.start(4)) + ": " + ex.getMessage());
			}
			at = rule.end();
		}
		return List.copyOf(rules);
	}

	/**
	 * Blanks out comments but keeps line breaks, so that error lines stay right. A
	 * {@code #} or {@code //} inside a quoted name is part of the name.
	 */
	private static String withoutComments(String text) {
		StringBuilder out = new StringBuilder(text.length());
		boolean quoted = false;
		boolean comment = false;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (comment) {
				comment = c != '\n';
			}
			else if (!quoted && (c == '#' || (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/'))) {
				comment = true;
			}
			else if (c == '"') {
				quoted = !quoted;
			}
			out.append((comment && c != '\n') ? ' ' : c);
		}
		return out.toString();
	}

	private static int line(String source, int offset) {
		int line = 1;
		for (int i = 0; i < offset && i < source.length(); i++) {
			if (source.charAt(i) == '\n') {
				line++;
			}
		}
		// report the line of the first non-blank character
		int i = offset;
		while (i < source.length() && Character.isWhitespace(source.charAt(i))) {
			if (source.charAt(i) == '\n') {
				line++;
			}
			i++;
		}
		return line;
	}

}
