package io.github.redisonmesos.localplatform.consul.acl;

import java.util.List;

/**
 * An ACL policy; {@code parsed} holds its rules as read by {@link RulesParser}.
 */
record Policy(String id, String name, String description, String rules, List<String> datacenters, List<Rule> parsed,
		long createIndex, long modifyIndex) {

}
