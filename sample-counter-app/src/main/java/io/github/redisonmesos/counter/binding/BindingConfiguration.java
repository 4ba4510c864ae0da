package io.github.redisonmesos.counter.binding;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Publishes the {@link RedisBinding} this app runs with.
 */
@Configuration(proxyBeanMethods = false)
class BindingConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(BindingConfiguration.class);

	@Bean
	RedisBinding redisBinding(ConsulFallbackProperties fallback, RedisServiceProperties redisService,
			Environment environment) {
		RedisBinding binding = new BindingReader(fallback, redisService).read(environment.getProperty("VCAP_SERVICES"));
		// only whether the secrets are there, never their values
		logger.info(
				"event=binding consul_url={} datacenter={} service={} redis_user={} password={} consul_token={} tls={} "
						+ "source=\"{}\"",
				binding.consulUrl(), binding.datacenter(), binding.serviceName(),
				(binding.username() != null) ? binding.username() : "none",
				(binding.password() != null) ? "set" : "none", (binding.consulToken() != null) ? "set" : "none",
				tls(binding), binding.source());
		if (binding.isHa()) {
			logger.info(
					"event=binding_ha master_name={} sentinels={} sentinel_user={} sentinel_password={} "
							+ "consul_sentinel_service={}",
					binding.sentinel().masterName(), binding.sentinel().sentinels(),
					(binding.sentinel().username() != null) ? binding.sentinel().username() : "none",
					(binding.sentinel().password() != null) ? "set" : "none",
					(binding.sentinel().consulService() != null) ? binding.sentinel().consulService() : "none");
		}
		return binding;
	}

	private static String tls(RedisBinding binding) {
		if (binding.tls() == null) {
			return "off";
		}
		return ((binding.tls().port() != 0) ? "tls_port:" + binding.tls().port() : "rediss") + ",server_name:"
				+ ((binding.tls().serverName() != null) ? binding.tls().serverName() : "discovered");
	}

}
