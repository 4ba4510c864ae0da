package io.github.redisonmesos.localplatform.consul.acl;

import java.util.List;

/**
 * An ACL token, linked to its policies by their ids.
 */
record Token(String accessorId, String secretId, String description, List<String> policyIds, boolean local,
		String createTime, long createIndex, long modifyIndex) {

}
