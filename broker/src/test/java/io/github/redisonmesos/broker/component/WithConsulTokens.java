package io.github.redisonmesos.broker.component;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.context.TestPropertySource;

/**
 * Runs the broker with both Consul ACL tokens set. One annotation for every class that
 * needs them, so those classes share one cached application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@TestPropertySource(properties = { "CONSUL_TOKEN=" + WithConsulTokens.BROKER_TOKEN,
		"CONSUL_APP_TOKEN=" + WithConsulTokens.APP_TOKEN })
@interface WithConsulTokens {

	/** The broker's own token, in the shape of a Consul SecretID. */
	String BROKER_TOKEN = "b7c3e1d2-5a64-4f0e-9c8b-2d1e0f3a4b5c";

	/** The token handed to bound apps. */
	String APP_TOKEN = "a1f2e3d4-c5b6-4a79-8e1d-0c2b3a4f5e6d";

}
