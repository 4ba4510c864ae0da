package io.github.redisonmesos.localplatform.consul.acl;

/**
 * The kinds of resource a rule names, as Consul's rule language spells them.
 */
public enum Resource {

	KEY("key"), SERVICE("service"), NODE("node"), AGENT("agent");

	private final String word;

	Resource(String word) {
		this.word = word;
	}

	/**
	 * The rule keyword and the name in Consul's error messages ({@code key:write}).
	 * @return the word
	 */
	public String word() {
		return this.word;
	}

}
